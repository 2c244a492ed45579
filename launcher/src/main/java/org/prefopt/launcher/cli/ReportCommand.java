package org.prefopt.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.prefopt.launcher.report.RunReport;
import org.prefopt.launcher.rundir.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code prefopt report}: (re)writes a run directory's report from its files. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write (or rewrite) a run's report: <run-dir>/report/report.html with PNG plots and summary.md,"
                + " from its metrics and evaluation files; works on a run that is still going or was interrupted.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
    Path runDir;

    @Override
    public Integer call() {
        if (!Files.isDirectory(runDir)) {
            throw new UsageException(runDir + ": no such directory");
        }
        if (!Files.exists(runDir.resolve(RunDirectory.CONFIG_FILE)) && !Files.exists(runDir.resolve(RunDirectory.METRICS_FILE))) {
            throw new UsageException(runDir + " is not a run directory (it has neither " + RunDirectory.CONFIG_FILE
                    + " nor " + RunDirectory.METRICS_FILE + ")");
        }
        try {
            spec.commandLine().getOut().println("report: " + RunReport.write(runDir).toAbsolutePath());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("prefopt report: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }
}
