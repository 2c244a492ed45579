package org.prefopt.launcher.cli;

/** The exit codes of every {@code prefopt} command. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The run (or the command's work) failed. */
    public static final int FAILED = 1;
    /** Bad usage or an invalid configuration: nothing was run. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
