package org.prefopt.launcher.run;

import java.nio.file.Path;
import org.prefopt.launcher.assembly.RunAssembly;

/**
 * What {@code prefopt run} hands a validated, wired run to: the training loop. Found with
 * {@link java.util.ServiceLoader} on the launcher's class path (declare the implementation in
 * {@code META-INF/services/org.prefopt.launcher.run.RunHandler}); without one, {@code prefopt run} validates and wires
 * the run, says that no training loop is installed, and exits with 1.
 *
 * <p>Before calling it, the launcher has created {@code runDir} and, for a new run, written the resolved
 * configuration to {@code runDir/}{@value #CONFIG_FILE} (atomically); {@code prefopt run --resume <runDir>} reads
 * that file back when no run file is given. The launcher closes the assembly afterwards.
 */
public interface RunHandler {

    /** The resolved run configuration inside a run directory. */
    String CONFIG_FILE = "config.conf";

    /**
     * Runs the training described by {@code assembly}.
     *
     * @param assembly the components and the resolved config ({@link RunAssembly#config()})
     * @param runDir   the run directory (exists)
     * @param resume   true when continuing the run in {@code runDir} from its last checkpoint
     * @return the exit code: 0 when the run finished, 1 when it failed
     */
    int run(RunAssembly assembly, Path runDir, boolean resume) throws Exception;
}
