package org.prefopt.launcher.cli;

/** Bad command-line input detected by a command itself; exits with 2 and prints the message. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
