package org.prefopt.launcher;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.prefopt.launcher.assembly.AssemblyException;
import org.prefopt.launcher.cli.ExitCodes;
import org.prefopt.launcher.cli.LauncherCommand;
import org.prefopt.launcher.cli.PrefoptCommand;
import org.prefopt.launcher.cli.UsageException;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.sweep.ChildProcessExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point of the {@code prefopt} command. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (Boolean.getBoolean(ChildProcessExecutor.EXIT_WITH_PARENT)) {
            // a sweep's child: checkpoints are atomic, so stopping abruptly with the parent loses nothing
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
                System.err.println("prefopt: the parent process (a sweep) ended; stopping this run");
                Runtime.getRuntime().halt(ExitCodes.FAILED);
            }));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failed, 2 bad usage or configuration). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command tree: the built-in commands plus every {@link LauncherCommand} found with ServiceLoader. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PrefoptCommand(Main.class));
        for (LauncherCommand command : ServiceLoader.load(LauncherCommand.class, Main.class.getClassLoader())) {
            cli.addSubcommand(command);
        }
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code = exitCode(e);
            if (e instanceof ConfigProblemsException || e instanceof AssemblyException) {
                err.println(e.getMessage());
            } else if (e instanceof UsageException) {
                err.println(commandLine.getCommandName() + ": " + e.getMessage());
                err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
            } else {
                err.println(commandLine.getCommandName() + " failed: " + e);
                LOG.debug("stack trace", e);
                if (!LOG.isDebugEnabled()) {
                    err.println("(run with -v for the stack trace)");
                }
            }
            return code;
        });
        return cli;
    }

    private static int exitCode(Throwable e) {
        if (e instanceof ConfigProblemsException || e instanceof UsageException
                || e instanceof CommandLine.ParameterException) {
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof AssemblyException a) {
            return a.configurationError() ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
        }
        return ExitCodes.FAILED;
    }
}
