package org.prefopt.launcher.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.rundir.RunDirectory;

/** The sweep's scheduling and resumption, with a fake executor standing in for {@code prefopt run}. */
class SweepRunnerTest {

    @TempDir
    Path tmp;

    /** Pretends to train: writes the metrics, an evaluation and a checkpoint marker a real run would leave. */
    static final class FakeRuns implements VariantExecutor {
        final List<String> calls = new ArrayList<>();
        final Set<String> failOnce = new HashSet<>();
        /** accuracy (out of 10 problems per tier) by variant group */
        Map<String, int[]> correct = Map.of();

        @Override
        public synchronized int run(String variant, List<String> args, Path log) {
            calls.add(variant + ": " + String.join(" ", args));
            if (failOnce.remove(variant)) {
                return 1;
            }
            try {
                Path dir = Path.of(args.get(args.indexOf(args.contains("--resume") ? "--resume" : "--run-dir") + 1));
                int fork = 0;
                if (args.contains("--fork-from")) {
                    Path source = Path.of(args.get(args.indexOf("--fork-from") + 1));
                    fork = Files.readAllLines(source.resolve("metrics.jsonl")).size();
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve(RunDirectory.FORKED_FROM), "{\"step\": " + fork + "}");
                }
                int steps = fork + 5;
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1}\n".repeat(steps));
                String group = variant.replaceAll("_.*", "");
                int[] c = correct.getOrDefault(group, new int[] {5, 1});
                EvalFixtures.write(dir, "heldout", steps, Map.of("1", EvalFixtures.solved(c[0], 10),
                        "2", EvalFixtures.solved(c[1], 10)));
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    SweepSpec spec(String variants) {
        String text = "run { seed = 1, output-dir = \"" + tmp.resolve("out") + "\" }\nalgorithm { type = grpo }\n"
                + "sweep { name = s, compare-to = base, " + variants + " }";
        return SweepFile.parse(RunConfigLoader.parse(text, "s.conf", List.of()), "s", "s.conf");
    }

    static final String STUDY = """
            variants = [ { name = base }, { name = all, fork-from = base }, { name = easy, fork-from = base } ]
            """;

    @Test
    void runsForksAfterTheirSourceAndComparesAgainstTheBase() throws Exception {
        SweepSpec spec = spec(STUDY + ", grid { run.seed = [1, 2] }");
        FakeRuns runs = new FakeRuns();
        runs.correct = Map.of("base", new int[] {5, 1}, "all", new int[] {9, 2}, "easy", new int[] {9, 1});
        Map<String, VariantState> states = new SweepRunner(spec, runs).run();
        assertTrue(states.values().stream().allMatch(VariantState::done), states.toString());
        assertEquals(List.of("base_seed-1", "base_seed-2", "all_seed-1", "all_seed-2", "easy_seed-1", "easy_seed-2"),
                runs.calls.stream().map(c -> c.substring(0, c.indexOf(':'))).toList(), "one at a time, in file order");
        for (String fork : List.of("all_seed-1", "easy_seed-2")) {
            String source = fork.replaceAll("^[a-z]+", "base");
            int forkAt = indexOf(runs.calls, fork);
            assertTrue(indexOf(runs.calls, source) < forkAt, runs.calls.toString());
            assertTrue(runs.calls.get(forkAt).contains("--fork-from " + spec.directory().resolve(source)),
                    runs.calls.get(forkAt));
        }
        assertTrue(Files.exists(spec.directory().resolve("configs/easy_seed-2.conf")));

        Comparison c = Comparison.read(spec, new SweepRunner(spec, runs));
        String md = c.markdown();
        assertTrue(md.contains("| all_seed-1 | 5 / 10 |"), md);
        assertTrue(md.contains("| 55.0% [34.2, 74.2] | 90.0% [59.6, 98.2] | 20.0% [5.7, 51.0] |"), md);
        assertTrue(md.contains("| base (pooled over 2 of 2 runs) | 5 / 5 |"), md);
        // all vs base: 11/20 vs 6/20 = +25.0 points per seed, all five discordant problems in all's favour, so
        // every resample of the paired bootstrap lies in [0, 50] points: a paired interval, not the unpaired one
        assertTrue(md.contains("Δ overall vs base (paired bootstrap 95%)"), md);
        assertTrue(md.contains("| +25.0 [+10.0, +45.0] * |"), md);
        assertTrue(md.contains("| all (pooled over 2 of 2 runs) | 5 / 10 |"), md);
    }

    @Test
    void aSecondInvocationSkipsFinishedVariantsAndRetriesTheRest() throws Exception {
        SweepSpec spec = spec(STUDY);
        FakeRuns runs = new FakeRuns();
        runs.failOnce.add("base");
        Map<String, VariantState> first = new SweepRunner(spec, runs).run();
        assertEquals(VariantState.FAILED, first.get("base").status());
        assertEquals(VariantState.PENDING, first.get("all").status(), "a fork of a failed variant does not run");
        assertEquals(1, runs.calls.size());

        runs.calls.clear();
        Map<String, VariantState> second = new SweepRunner(spec, runs).run();
        assertTrue(second.values().stream().allMatch(VariantState::done));
        assertEquals(3, runs.calls.size());
        assertEquals(2, second.get("base").attempts());

        runs.calls.clear();
        new SweepRunner(spec, runs).run();
        assertEquals(List.of(), runs.calls, "nothing left to run");
    }

    @Test
    void aVariantWithACheckpointIsResumedNotRestarted() throws Exception {
        SweepSpec spec = spec("variants = [ { name = base } ]");
        Path cp = Files.createDirectories(spec.directory().resolve("base/checkpoints/step-2"));
        Files.writeString(cp.resolve("loop.json"), "{}");
        FakeRuns runs = new FakeRuns();
        new SweepRunner(spec, runs).run();
        assertEquals(List.of("base: run --resume " + spec.directory().resolve("base")), runs.calls);
    }

    @Test
    void aChangedConfigurationOfAVariantThatRanIsRefused() throws Exception {
        new SweepRunner(spec(STUDY), new FakeRuns()).run();
        SweepSpec changed = spec(STUDY.replace("{ name = easy, fork-from = base }",
                "{ name = easy, fork-from = base, set { run.seed = 9 } }"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SweepRunner(changed, new FakeRuns()).run());
        assertTrue(e.getMessage().contains("the configuration of variant(s) [easy] changed since they ran"),
                e.getMessage());
    }

    private static int indexOf(List<String> calls, String variant) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(variant + ":")) {
                return i;
            }
        }
        throw new AssertionError(variant + " never ran: " + calls);
    }
}
