package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.run.RunHandler;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.rundir.RunFork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt run}: validates, wires and hands the run to the installed {@link RunHandler}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a training run: validate the run file, wire its components, and train."
                + " --resume <run-dir> continues a run from its last checkpoint (the run file defaults to the"
                + " run directory's " + RunDirectory.CONFIG_FILE + ").")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigArgs args;

    @Option(names = "--run-dir", paramLabel = "<dir>",
            description = "Directory of this run (must not hold a run yet). Default: <run.output-dir>/<run.name>-<time>.")
    Path runDir;

    @Option(names = "--resume", paramLabel = "<run-dir>", description = "Continue the run in this directory.")
    Path resume;

    @Option(names = "--fork-from", paramLabel = "<run-or-checkpoint-dir>",
            description = "Start this new run from another run's checkpoint (a checkpoints/step-<N> directory, or a"
                    + " run directory for its newest checkpoint): its metrics and evaluations up to that step are"
                    + " copied, and the run continues after it. The run file must have the same seed and the same"
                    + " stages up to that step (e.g. a shared SFT stage, then a different GRPO stage).")
    Path forkFrom;

    @Override
    public Integer call() throws Exception {
        if (resume != null && runDir != null) {
            throw new UsageException("--run-dir and --resume exclude each other (--resume names the run directory)");
        }
        if (resume != null && forkFrom != null) {
            throw new UsageException("--fork-from starts a new run and --resume continues one: use one of them");
        }
        Path file = args.file();
        if (file == null && resume != null) {
            file = resume.resolve(RunDirectory.CONFIG_FILE);
            if (!Files.isRegularFile(file)) {
                throw new UsageException(resume + " holds no " + RunDirectory.CONFIG_FILE + "; is it a run directory?"
                        + " Pass the run file as well: prefopt run <file> --resume " + resume);
            }
        }
        if (file == null) {
            throw new UsageException("missing the run file, e.g. prefopt run experiments/tiny-grpo.conf");
        }
        ResolvedRun run = parent.resolve(file, args.overrides());
        List<ServiceLoader.Provider<RunHandler>> handlers = ServiceLoader.load(RunHandler.class,
                RunCommand.class.getClassLoader()).stream().toList();
        if (handlers.size() > 1) {
            LOG.warn("several run handlers installed ({}); using {}", handlers.stream().map(p -> p.type().getName())
                    .toList(), handlers.get(0).type().getName());
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = resume != null ? resume : runDir != null ? runDir : defaultRunDir(run);
        try (RunAssembly assembly = Assembler.assemble(run, Stage.PRODUCTION)) {
            if (handlers.isEmpty()) {
                out.println(file + ": valid; " + run.components().size() + " components wired and created: "
                        + run.components().stream().map(c -> c.path() + "=" + c.type()).toList());
                spec.commandLine().getErr().println("prefopt run: the training loop is not available in this build"
                        + " (no " + RunHandler.class.getName() + " installed); nothing was trained.");
                return ExitCodes.FAILED;
            }
            prepare(dir, run, resume != null);
            LOG.info("run directory {}", dir.toAbsolutePath());
            if (forkFrom != null) {
                int step = fork(forkFrom, dir);
                LOG.info("forked from {} at step {}", forkFrom.toAbsolutePath(), step);
            }
            return handlers.get(0).get().run(assembly, dir, resume != null || forkFrom != null);
        }
    }

    private static int fork(Path source, Path dir) {
        try {
            return RunFork.fork(source, dir);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--fork-from " + source + ": " + e.getMessage());
        }
    }

    private static Path defaultRunDir(ResolvedRun run) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(run.config().getString("run.output-dir"))
                .resolve(run.config().getString("run.name") + "-" + stamp);
    }

    /** Creates the run directory of a new run and saves its resolved configuration. */
    private static void prepare(Path dir, ResolvedRun run, boolean resuming) throws IOException {
        if (resuming) {
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--resume " + dir + ": no such run directory");
            }
            return;
        }
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException(dir + " already holds a run; continue it with --resume " + dir
                            + " or choose another --run-dir");
                }
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(RunDirectory.CONFIG_FILE),
                ("# resolved configuration of this run (prefopt config)\n" + run.render() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
    }
}
