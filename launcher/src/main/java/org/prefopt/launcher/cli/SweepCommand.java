package org.prefopt.launcher.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.Problem;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.memory.RunMemory;
import org.prefopt.launcher.rundir.RunLock;
import org.prefopt.launcher.sweep.ChildProcessExecutor;
import org.prefopt.launcher.sweep.Comparison;
import org.prefopt.launcher.sweep.ComparisonReport;
import org.prefopt.launcher.sweep.SweepFile;
import org.prefopt.launcher.sweep.SweepRunner;
import org.prefopt.launcher.sweep.SweepSpec;
import org.prefopt.launcher.sweep.Variant;
import org.prefopt.launcher.sweep.VariantState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt sweep}: runs the variants of a sweep file and writes their comparison. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a sweep: a base run file plus variants and/or a grid of settings (sweep { ... }), each"
                + " variant a run of its own under <output-dir>/<sweep name>/, then a comparison report across them.",
                "Running the same sweep again skips finished variants and resumes interrupted ones."})
final class SweepCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigArgs args;

    @Option(names = "--parallel", paramLabel = "<n>", description = "Variants trained at the same time (overrides"
            + " sweep.parallel). Each run uses the backend's threads setting; divide the cores between them.")
    Integer parallel;

    @Option(names = "--dry-run", description = "Validate every variant and list what would run; train nothing.")
    boolean dryRun;

    @Option(names = "--report-only", description = "Write the comparison from what has run so far; train nothing.")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        if (args.file() == null) {
            throw new UsageException("missing the sweep file, e.g. prefopt sweep examples/tiny/study.conf");
        }
        SweepSpec sweep = SweepFile.load(args.file(), args.overrides());
        if (parallel != null) {
            if (parallel < 1) {
                throw new UsageException("--parallel must be at least 1");
            }
            sweep = sweep.withParallel(parallel);
        }
        validate(sweep);
        PrintWriter out = spec.commandLine().getOut();
        List<String> leading = new ArrayList<>();
        if (parent.pluginsDir != null) {
            leading.addAll(List.of("--plugins-dir", parent.pluginsDir.toAbsolutePath().toString()));
        }
        // side-by-side runs share the cores (a backend's own threads setting still wins)
        int threads = sweep.parallel() > 1 ? Math.max(1, Runtime.getRuntime().availableProcessors() / sweep.parallel())
                : 0;
        SweepRunner runner = new SweepRunner(sweep, new ChildProcessExecutor(parent.entryPoint().getName(), leading, line -> {
            synchronized (out) {
                out.println(line);
            }
        }, threads));
        if (dryRun) {
            out.println("sweep " + sweep.name() + " in " + sweep.directory().toAbsolutePath() + ": "
                    + sweep.variants().size() + " variants, " + sweep.parallel() + " at a time");
            for (Variant v : sweep.variants()) {
                out.println("  " + v.name() + ": " + runner.readState(v).status() + ", " + steps(v.config())
                        + (v.forkFrom() == null ? "" : ", forks from " + SweepRunner.forkSource(sweep, v).name())
                        + (v.grid().isEmpty() ? "" : ", grid " + v.grid()) + "; "
                        + RunMemory.of(parent.runResolver().resolve(v.config(), v.name())).summary());
            }
            return ExitCodes.OK;
        }
        Map<String, VariantState> states;
        if (reportOnly) {
            states = Map.of();
        } else {
            // one sweep process per sweep directory; each variant's run locks its own run directory too
            try (RunLock lock = RunLock.acquire(sweep.directory(), "sweep directory")) {
                states = runner.run();
            } catch (RunLock.HeldException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Comparison comparison = Comparison.read(sweep, runner);
        Path report;
        try {
            report = ComparisonReport.write(comparison, sweep);
        } catch (IllegalArgumentException e) {
            // e.g. two variants evaluated on different problems: the paired comparison refuses, naming both runs
            spec.commandLine().getErr().println("prefopt sweep: cannot write the comparison: " + e.getMessage()
                    + "\nThe runs are kept; after fixing it, write the comparison with --report-only.");
            return ExitCodes.BAD_INPUT;
        }
        out.println();
        out.print(comparison.markdown());
        out.println("comparison report: " + report.toAbsolutePath());
        out.println("sweep directory: " + sweep.directory().toAbsolutePath());
        long failed = states.values().stream().filter(s -> !s.done()).count();
        if (failed > 0) {
            spec.commandLine().getErr().println("prefopt sweep: " + failed + " variant(s) did not finish; see "
                    + sweep.directory().resolve(SweepRunner.LOGS) + ". Run the sweep again to retry them.");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** Every variant's run file must be valid before anything trains; problems of all variants are reported together. */
    private void validate(SweepSpec sweep) {
        List<Problem> problems = new ArrayList<>();
        RunConfigResolver resolver = parent.runResolver();
        for (Variant v : sweep.variants()) {
            try {
                resolver.resolve(v.config(), v.name());
            } catch (ConfigProblemsException e) {
                for (Problem p : e.problems()) {
                    problems.add(new Problem(p.location(), p.path(), "(variant " + v.name() + ") " + p.message()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigProblemsException(problems.stream().distinct().toList());
        }
    }

    /**
     * The variant's step count, and the policy's learning-rate schedule length where its options have one
     * ({@code policy.total-steps} of the built-in policies), flagged when the two differ: a variant that stops
     * early on another's schedule never decays its learning rate.
     */
    private static String steps(Config run) {
        if (run.hasPath("stages") && !run.getConfigList("stages").isEmpty()) {
            // a staged run's length is its stages' (run.steps is replaced by their total)
            List<String> parts = new ArrayList<>();
            int total = 0;
            List<? extends Config> stages = run.getConfigList("stages");
            for (int i = 0; i < stages.size(); i++) {
                Config st = stages.get(i);
                int n = st.hasPath("steps") ? st.getInt("steps") : 0;
                total += n;
                parts.add((st.hasPath("name") ? st.getString("name") : "stage " + (i + 1)) + " " + n);
            }
            return total + " steps in stages (" + String.join(" + ", parts) + ")";
        }
        if (!run.hasPath("run.steps")) {
            return "default run.steps";
        }
        int steps = run.getInt("run.steps");
        String out = steps + " steps";
        if (run.hasPath("policy.total-steps") && run.getInt("policy.total-steps") > 0) {
            int schedule = run.getInt("policy.total-steps");
            out += schedule == steps ? ", learning-rate schedule over " + schedule
                    : ", learning-rate schedule over " + schedule + " (policy.total-steps differs from run.steps)";
        }
        return out;
    }
}
