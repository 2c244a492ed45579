package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.Problem;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.memory.MemoryCheck;
import org.prefopt.launcher.memory.PlanTable;
import org.prefopt.launcher.memory.RunMemory;
import org.prefopt.launcher.run.RunHandler;
import org.prefopt.launcher.rundir.CheckpointStore;
import org.prefopt.launcher.rundir.ResumeCheck;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.rundir.RunFork;
import org.prefopt.launcher.rundir.RunLock;
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

    @Option(names = "--from-checkpoint", paramLabel = "<step-N>",
            description = "With --resume: continue from this checkpoint instead of the newest (e.g. when the newest is"
                    + " damaged). Newer checkpoints are set aside as checkpoints/damaged-step-<N>-<time>, not deleted.")
    String fromCheckpoint;

    @Option(names = "--fork-from", paramLabel = "<run-or-checkpoint-dir>",
            description = "Start this new run from another run's checkpoint (a checkpoints/step-<N> directory, or a"
                    + " run directory for its newest checkpoint): its metrics and evaluations up to that step are"
                    + " copied, and the run continues after it. The run file must have the same seed and the same"
                    + " stages up to that step (e.g. a shared SFT stage, then a different GRPO stage).")
    Path forkFrom;

    @Option(names = "--ignore-memory-plan",
            description = "Run even when the memory plan's peak exceeds the device memory (memory.limit).")
    boolean ignoreMemoryPlan;

    @Override
    public Integer call() throws Exception {
        if (resume != null && runDir != null) {
            throw new UsageException("--run-dir and --resume exclude each other (--resume names the run directory)");
        }
        if (fromCheckpoint != null && resume == null) {
            throw new UsageException("--from-checkpoint goes with --resume <run-dir>");
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
        PrintWriter out = spec.commandLine().getOut();
        checkMemory(run, out);
        List<ServiceLoader.Provider<RunHandler>> handlers = ServiceLoader.load(RunHandler.class,
                RunCommand.class.getClassLoader()).stream().toList();
        if (handlers.size() > 1) {
            LOG.warn("several run handlers installed ({}); using {}", handlers.stream().map(p -> p.type().getName())
                    .toList(), handlers.get(0).type().getName());
        }
        Path dir = resume != null ? resume : runDir != null ? runDir : defaultRunDir(run);
        try (RunAssembly assembly = Assembler.assemble(run, Stage.PRODUCTION)) {
            if (handlers.isEmpty()) {
                out.println(file + ": valid; " + run.components().size() + " components wired and created: "
                        + run.components().stream().map(c -> c.path() + "=" + c.type()).toList());
                spec.commandLine().getErr().println("prefopt run: the training loop is not available in this build"
                        + " (no " + RunHandler.class.getName() + " installed); nothing was trained.");
                return ExitCodes.FAILED;
            }
            if (resume != null && !Files.isDirectory(dir)) {
                throw new UsageException("--resume " + dir + ": no such run directory");
            }
            boolean existed = Files.isDirectory(dir);
            // one writer per run directory, for the whole run: a second process fails here naming this one
            try (RunLock lock = lock(dir)) {
                if (resume != null) {
                    checkResume(dir, run);
                    if (fromCheckpoint != null) {
                        rewindTo(dir, fromCheckpoint);
                    }
                } else {
                    start(dir, run);
                }
                LOG.info("run directory {}", dir.toAbsolutePath());
                boolean done = false;
                try {
                    if (forkFrom != null) {
                        int step = fork(forkFrom, dir);
                        LOG.info("forked from {} at step {}", forkFrom.toAbsolutePath(), step);
                    }
                    int code = handlers.get(0).get().run(assembly, dir, resume != null || forkFrom != null);
                    done = true;
                    return code;
                } finally {
                    if (!done && resume == null) {
                        removeIfNothingWasTrained(dir, existed);
                    }
                }
            }
        }
    }

    /** Prints the memory plan and refuses a run that would not fit, unless told to go on. */
    private void checkMemory(ResolvedRun run, PrintWriter out) {
        RunMemory memory = RunMemory.of(run);
        PlanTable.printSummary(memory, out);
        out.flush();
        Optional<Problem> problem = MemoryCheck.problem(memory, run.config(), run.components());
        if (problem.isPresent()) {
            if (!ignoreMemoryPlan) {
                throw new ConfigProblemsException(List.of(problem.get()));
            }
            LOG.warn("{} Going on (--ignore-memory-plan).", problem.get());
        }
    }

    private static RunLock lock(Path dir) {
        try {
            return RunLock.acquire(dir, "run directory");
        } catch (RunLock.HeldException e) {
            throw new UsageException(e.getMessage());
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

    /** Sets aside every complete checkpoint newer than {@code name}, which must be a complete one. */
    private static void rewindTo(Path dir, String name) {
        CheckpointStore store = new CheckpointStore(dir, Integer.MAX_VALUE);
        List<Path> complete = store.completeCheckpoints();
        Path chosen = store.root().resolve(name);
        if (!complete.contains(chosen)) {
            throw new UsageException("--from-checkpoint " + name + ": " + dir + " has no complete checkpoint of that"
                    + " name; it has " + (complete.isEmpty() ? "none" : complete.stream()
                    .map(p -> p.getFileName().toString()).toList()));
        }
        for (Path p : complete.subList(complete.indexOf(chosen) + 1, complete.size())) {
            store.setAside(p);
        }
    }

    /** Saves the resolved configuration of a new run in its (empty, locked) directory. */
    private static void start(Path dir, ResolvedRun run) throws IOException {
        try (var entries = Files.list(dir)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals(RunDirectory.LOCK_FILE))) {
                throw new UsageException(dir + " already holds a run; continue it with --resume " + dir
                        + " or choose another --run-dir");
            }
        }
        saveConfig(dir, run.config(), run.render());
    }

    /**
     * Refuses a resume whose configuration changes what the run trains, against the configuration its checkpoints
     * were trained with (a run written before that copy existed: its config.conf); records the safe changes.
     */
    private static void checkResume(Path dir, ResolvedRun run) throws IOException {
        Path trainedFile = Files.isRegularFile(dir.resolve(RunDirectory.TRAINED_CONFIG))
                ? dir.resolve(RunDirectory.TRAINED_CONFIG) : dir.resolve(RunDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(trainedFile)) {
            throw new UsageException(dir + " holds no " + RunDirectory.CONFIG_FILE + "; is it a run directory?");
        }
        Config trained = ConfigFactory.parseFile(trainedFile.toFile()).resolve();
        List<ResumeCheck.Change> changes;
        try {
            changes = ResumeCheck.check(dir, trained, run.config());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!changes.isEmpty() || !Files.isRegularFile(dir.resolve(RunDirectory.TRAINED_CONFIG))) {
            ResumeCheck.record(dir, changes);
            saveConfig(dir, run.config(), run.render());
            for (ResumeCheck.Change c : changes) {
                LOG.info("resume changes {} (recorded in {})", c, RunDirectory.RESUME_CHANGES);
            }
        }
    }

    /** config.conf for people (and --resume), and prefopt's own copy that resumes are checked against. */
    private static void saveConfig(Path dir, Config config, String rendered) {
        byte[] text = ("# resolved configuration of this run (prefopt config)\n" + rendered + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(RunDirectory.TRAINED_CONFIG), text);
        AtomicFiles.write(dir.resolve(RunDirectory.CONFIG_FILE), text);
    }

    /**
     * A new run that failed before it trained anything (a dataset that cannot be read, a model that does not load)
     * leaves no run directory behind, so the same command works once the problem is fixed.
     */
    private static void removeIfNothingWasTrained(Path dir, boolean existed) {
        Set<String> bookkeeping = Set.of(RunDirectory.CONFIG_FILE, RunDirectory.TRAINED_CONFIG, RunDirectory.LOCK_FILE);
        try (var entries = Files.list(dir)) {
            if (entries.allMatch(p -> bookkeeping.contains(p.getFileName().toString()))) {
                Files.deleteIfExists(dir.resolve(RunDirectory.CONFIG_FILE));
                Files.deleteIfExists(dir.resolve(RunDirectory.TRAINED_CONFIG));
                if (!existed) {
                    AtomicFiles.deleteTree(dir);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean up {} after the failed start: {}", dir, e.getMessage());
        }
    }
}
