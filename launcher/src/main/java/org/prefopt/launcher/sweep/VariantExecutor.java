package org.prefopt.launcher.sweep;

import java.nio.file.Path;
import java.util.List;

/** Runs one {@code prefopt} command line for a variant and waits for it. */
public interface VariantExecutor {

    /**
     * @param variant   the variant's name, for prefixing its output
     * @param arguments the command line after {@code prefopt}, e.g. {@code run <file> --run-dir <dir>}
     * @param log       file that receives the command's whole output (appended: a resumed run adds to it)
     * @return the command's exit code
     */
    int run(String variant, List<String> arguments, Path log) throws InterruptedException;
}
