package org.prefopt.launcher.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.launcher.rundir.CheckpointStore;
import org.prefopt.launcher.rundir.LoopState;
import org.prefopt.launcher.training.fakes.FakeAlgorithm;

class TrainingJobTest {

    @TempDir
    Path tmp;

    @Test
    void writesOneMetricsLinePerStepWithTrlNames() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 5;
        Path run = tmp.resolve("run");
        TrainingOutcome outcome = new TrainingJob(h.build(run)).run();

        assertEquals(5, outcome.lastStep());
        List<Map<String, Object>> lines = LoopHarness.metrics(run);
        assertEquals(5, lines.size());
        for (int i = 0; i < 5; i++) {
            Map<String, Object> m = lines.get(i);
            assertEquals(i + 1, m.get("step"));
            assertEquals("step", m.keySet().iterator().next(), "step comes first");
            for (String key : List.of("reward", "reward_std", "frac_reward_zero_std", "rewards/digit/mean",
                    "rewards/digit/std", "rewards/short/mean", "rewards/short/std", "completions/mean_length",
                    "completions/min_length", "completions/max_length", "completions/clipped_ratio", "num_tokens",
                    "step_time", "time/generation", "time/reward", "time/update", "loss", "grad_norm",
                    "learning_rate")) {
                assertTrue(m.containsKey(key), "line " + (i + 1) + " lacks " + key + ": " + m);
            }
            double frac = ((Number) m.get("frac_reward_zero_std")).doubleValue();
            assertTrue(frac >= 0 && frac <= 1);
            double min = ((Number) m.get("completions/min_length")).doubleValue();
            double mean = ((Number) m.get("completions/mean_length")).doubleValue();
            double max = ((Number) m.get("completions/max_length")).doubleValue();
            assertTrue(min <= mean && mean <= max && max <= 6);
            assertEquals(i + 1.0, ((Number) m.get("algo/steps_seen")).doubleValue());
        }
        // num_tokens is cumulative, as TRL logs it
        double previous = 0;
        for (Map<String, Object> m : lines) {
            double n = ((Number) m.get("num_tokens")).doubleValue();
            assertTrue(n > previous);
            previous = n;
        }
        assertEquals(5, h.lastBackend.seeds.size(), "the backend is seeded once per step");
        assertEquals(5, h.lastPolicy.updates());
    }

    @Test
    void trainingRaisesTheRewardOfTheFakePolicy() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 60;
        h.checkpointEvery = 0;
        h.learningRate = 5;
        Path run = tmp.resolve("learn");
        new TrainingJob(h.build(run)).run();
        List<Map<String, Object>> lines = LoopHarness.metrics(run);
        LoopHarness.assertRises(lines, "rewards/digit/mean", 10, 0.2);
    }

    @Test
    void keepsTheLastCheckpointsAndPointsLatestAtTheNewest() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 10;
        h.checkpointEvery = 3;
        h.keepLast = 2;
        Path run = tmp.resolve("ret");
        TrainingOutcome outcome = new TrainingJob(h.build(run)).run();
        // due at 3, 6, 9 and always at the last step (10); two kept
        assertEquals(Set.of("step-9", "step-10", "latest"), LoopHarness.checkpointNames(run));
        assertEquals("step-10", Files.readString(run.resolve("checkpoints/latest")).trim());
        assertEquals(run.resolve("checkpoints/step-10"), outcome.lastCheckpoint());
        Path cp = run.resolve("checkpoints/step-10");
        for (String f : List.of("policy/logits.json", "sampler.bin", "algorithm.bin", "loop.json")) {
            assertTrue(Files.isRegularFile(cp.resolve(f)), f);
        }
        LoopState state = new CheckpointStore(run, 2).latest().orElseThrow().state();
        assertEquals(10, state.step());
        assertEquals(10, state.metricsLines());
        assertEquals(42, state.seed());
    }

    /**
     * Runs 10 steps straight, then the same run "crashing" in step 7 (after the checkpoint at 4 or 6) with a
     * half-written checkpoint and a torn metrics line left behind, then resumes it with fresh objects, as a new
     * process would: every metric except wall-clock times must match, step for step.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void resumeAfterACrashReproducesTheUninterruptedRun(int checkpointEvery) throws Exception {
        LoopHarness straight = new LoopHarness();
        straight.checkpointEvery = checkpointEvery;
        straight.withEval = true;
        straight.evalEvery = 3;
        Path a = tmp.resolve("a");
        new TrainingJob(straight.build(a)).run();
        for (int step : List.of(0, 3, 6, 9, 10)) {
            assertTrue(Files.isRegularFile(a.resolve("eval/heldout/step-" + step + ".json")), "eval at step " + step);
        }

        LoopHarness crashing = new LoopHarness();
        crashing.checkpointEvery = checkpointEvery;
        crashing.withEval = true;
        crashing.evalEvery = 3;
        crashing.stages = n -> List.of(Stage.of("main", new FakeAlgorithm(3, 4, Set.of(), 7), n));
        Path b = tmp.resolve("b");
        assertThrows(FakeAlgorithm.Crash.class, () -> new TrainingJob(crashing.build(b)).run());
        assertEquals(6, LoopHarness.metrics(b).size());
        // what kill -9 can leave: a checkpoint directory still being assembled, half a metrics line
        Path leftover = b.resolve("checkpoints/.tmp-step-7-dead");
        Files.createDirectories(leftover.resolve("policy"));
        Files.writeString(b.resolve("metrics.jsonl"), "{\"step\":7,\"rew", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        LoopHarness resumed = new LoopHarness();
        resumed.checkpointEvery = checkpointEvery;
        resumed.withEval = true;
        resumed.evalEvery = 3;
        TrainingOutcome outcome = new TrainingJob(resumed.build(b)).resume();

        int expectedFrom = checkpointEvery == 2 ? 6 : 4;
        assertEquals(expectedFrom + 1, outcome.firstStep());
        assertEquals(10, outcome.lastStep());
        assertFalse(Files.exists(leftover), "leftover temp checkpoint is removed");
        assertEquals(LoopHarness.comparable(a), LoopHarness.comparable(b));
        assertEquals(Files.readString(a.resolve("checkpoints/step-10/policy/logits.json")),
                Files.readString(b.resolve("checkpoints/step-10/policy/logits.json")));
        // evaluation at the end sees the same policy, so the same generations
        assertEquals(Files.readString(a.resolve("eval/heldout/step-10-generations.jsonl")),
                Files.readString(b.resolve("eval/heldout/step-10-generations.jsonl")));
    }

    /** Two stages with different algorithms; resumes both mid-stage (checkpoint 6) and at the boundary (4). */
    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void multiStageRunsResumeExactly(int checkpointEvery) throws Exception {
        LoopHarness straight = new LoopHarness();
        straight.checkpointEvery = checkpointEvery;
        straight.stages = n -> List.of(Stage.of("warm", new FakeAlgorithm(2, 2), 4),
                Stage.of("main", new FakeAlgorithm(3, 4), n - 4));
        Path a = tmp.resolve("a");
        new TrainingJob(straight.build(a)).run();
        List<Map<String, Object>> lines = LoopHarness.metrics(a);
        assertEquals(10, lines.size());
        assertEquals(4.0, ((Number) lines.get(3).get("algo/steps_seen")).doubleValue());
        assertEquals(1.0, ((Number) lines.get(4).get("algo/steps_seen")).doubleValue(), "stage 2 has its own algorithm");

        LoopHarness crashing = new LoopHarness();
        crashing.checkpointEvery = checkpointEvery;
        crashing.stages = n -> List.of(Stage.of("warm", new FakeAlgorithm(2, 2), 4),
                Stage.of("main", new FakeAlgorithm(3, 4, Set.of(), 7), n - 4));
        Path b = tmp.resolve("b");
        assertThrows(FakeAlgorithm.Crash.class, () -> new TrainingJob(crashing.build(b)).run());

        LoopHarness resumed = new LoopHarness();
        resumed.checkpointEvery = checkpointEvery;
        resumed.stages = straight.stages;
        new TrainingJob(resumed.build(b)).resume();
        assertEquals(LoopHarness.comparable(a), LoopHarness.comparable(b));
    }

    /** A stage's warmup raises its constant rate step by step, from where the stage starts, also after a resume. */
    @Test
    void aStageWarmupRaisesItsRateLinearlyOverItsFirstSteps() throws Exception {
        LoopHarness straight = new LoopHarness();
        straight.stages = n -> List.of(Stage.of("warm", new FakeAlgorithm(2, 2), 4),
                new Stage("rl", new FakeAlgorithm(3, 4), n - 4, null, null, true, 0.4, 4));
        new TrainingJob(straight.build(tmp.resolve("a"))).run();
        List<Double> rates = straight.lastPolicy.rateOverrides();
        // 0 for 'warm' (its policy schedule), then the stage's entry value, then one per step of 'rl'
        assertEquals(List.of(0.0, 0.4, 0.1, 0.2, 0.30000000000000004, 0.4, 0.4), rates.subList(0, 7));
        assertThrows(IllegalArgumentException.class, () -> new Stage("x", new FakeAlgorithm(2, 2), 4, null, null,
                true, 0, 2), "a warmup needs a constant rate to warm up to");
    }

    /**
     * A later stage compares with the model it starts from: the reference moves when the stage starts, and a resume
     * inside the stage keeps the checkpointed reference. Crash at 7 resumes from checkpoint 6 (inside 'main': no new
     * reset); crash at 6 resumes from checkpoint 3 (inside 'warm': 'main' starts again, so it resets again).
     */
    @ParameterizedTest
    @ValueSource(ints = {6, 7})
    void laterStagesResetTheReferenceWhenTheyStartButNotOnResume(int crashAt) throws Exception {
        LoopHarness straight = new LoopHarness();
        straight.stages = n -> List.of(Stage.of("warm", new FakeAlgorithm(2, 2), 4),
                Stage.of("main", new FakeAlgorithm(3, 4), 4),
                new Stage("keep", new FakeAlgorithm(3, 4), n - 8, null, null, false, 0.25));
        new TrainingJob(straight.build(tmp.resolve("a"))).run();
        assertEquals(List.of(4L), straight.lastPolicy.referenceResets(), "reset after the 4 updates of 'warm' only");

        LoopHarness crashing = new LoopHarness();
        crashing.checkpointEvery = 3;
        crashing.stages = n -> List.of(Stage.of("warm", new FakeAlgorithm(2, 2), 4),
                Stage.of("main", new FakeAlgorithm(3, 4, Set.of(), crashAt), 4),
                new Stage("keep", new FakeAlgorithm(3, 4), n - 8, null, null, false, 0.25));
        Path b = tmp.resolve("b");
        assertThrows(FakeAlgorithm.Crash.class, () -> new TrainingJob(crashing.build(b)).run());
        assertEquals(List.of(4L), crashing.lastPolicy.referenceResets());

        LoopHarness resumed = new LoopHarness();
        resumed.checkpointEvery = 3;
        resumed.stages = straight.stages;
        new TrainingJob(resumed.build(b)).resume();
        assertEquals(crashAt == 7 ? List.of() : List.of(4L), resumed.lastPolicy.referenceResets());
        assertEquals(List.of(0.0, 0.0, 0.25), straight.lastPolicy.rateOverrides(), "each stage sets its own rate");
        assertEquals(crashAt == 7 ? List.of(0.0, 0.25) : List.of(0.0, 0.0, 0.25),
                resumed.lastPolicy.rateOverrides(), "a resumed run sets the rate of the stage it resumes in");
        assertEquals(LoopHarness.comparable(tmp.resolve("a")), LoopHarness.comparable(b));
    }

    /**
     * Out of memory in the middle of writing a checkpoint (the policy's state half written): the run stops, the
     * previous checkpoint stays complete and is what a resume continues from, and the result matches an
     * uninterrupted run.
     */
    @Test
    void outOfMemoryWhileCheckpointingLeavesTheLastGoodCheckpoint() throws Exception {
        LoopHarness straight = new LoopHarness();
        Path a = tmp.resolve("a");
        new TrainingJob(straight.build(a)).run();

        LoopHarness failing = new LoopHarness();
        Path b = tmp.resolve("b");
        TrainingSetup setup = failing.build(b);
        failing.lastPolicy.outOfMemoryWhileSavingAtUpdate = 6;
        assertThrows(OutOfMemoryError.class, () -> new TrainingJob(setup).run());
        assertEquals(Set.of("step-2", "step-4", "latest"), LoopHarness.checkpointNames(b).stream()
                .filter(n -> !n.startsWith(".")).collect(java.util.stream.Collectors.toSet()));
        assertTrue(LoopHarness.checkpointNames(b).stream().noneMatch(n -> n.startsWith(".tmp")),
                "the half-written checkpoint is removed");

        LoopHarness resumed = new LoopHarness();
        new TrainingJob(resumed.build(b)).resume();
        assertEquals(LoopHarness.comparable(a), LoopHarness.comparable(b));
    }

    @Test
    void resumeWithoutAnyCheckpointStartsOver() throws Exception {
        LoopHarness straight = new LoopHarness();
        straight.steps = 4;
        straight.checkpointEvery = 0;
        Path a = tmp.resolve("a");
        new TrainingJob(straight.build(a)).run();

        LoopHarness crashing = new LoopHarness();
        crashing.steps = 4;
        crashing.checkpointEvery = 0;
        crashing.stages = n -> List.of(Stage.of("main", new FakeAlgorithm(3, 4, Set.of(), 3), n));
        Path b = tmp.resolve("b");
        assertThrows(FakeAlgorithm.Crash.class, () -> new TrainingJob(crashing.build(b)).run());
        LoopHarness resumed = new LoopHarness();
        resumed.steps = 4;
        resumed.checkpointEvery = 0;
        TrainingOutcome outcome = new TrainingJob(resumed.build(b)).resume();
        assertEquals(1, outcome.firstStep());
        assertEquals(LoopHarness.comparable(a), LoopHarness.comparable(b));
    }

    @Test
    void nonFiniteStepStopsWithoutCheckpointingIt() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 6;
        h.checkpointEvery = 1;
        h.keepLast = 10;
        h.stages = n -> List.of(Stage.of("main", new FakeAlgorithm(3, 4, Set.of(3), -1), n));
        Path run = tmp.resolve("nan");
        NonFiniteStepException e = assertThrows(NonFiniteStepException.class, () -> new TrainingJob(h.build(run)).run());
        assertEquals(3, e.step());
        assertTrue(e.getMessage().contains("step 3"), e.getMessage());
        assertTrue(e.getMessage().contains("loss=NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("step-2"), "names the last good checkpoint: " + e.getMessage());
        assertEquals(Set.of("step-1", "step-2", "latest"), LoopHarness.checkpointNames(run));
        List<Map<String, Object>> lines = LoopHarness.metrics(run);
        assertEquals(3, lines.size());
        assertNull(lines.get(2).get("loss"), "NaN is written as null");
        assertEquals(1.0, ((Number) lines.get(2).get(StepMetrics.NON_FINITE)).doubleValue());
        assertEquals(2, h.lastPolicy.updates(), "the poisoned gradients were not applied");
    }

    @Test
    void nonFiniteStepIsSkippedWhenAskedAndNeverCheckpointed() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 6;
        h.checkpointEvery = 1;
        h.keepLast = 10;
        h.onNonFinite = NonFinitePolicy.SKIP;
        h.stages = n -> List.of(Stage.of("main", new FakeAlgorithm(3, 4, Set.of(3), -1), n));
        Path run = tmp.resolve("skip");
        TrainingOutcome outcome = new TrainingJob(h.build(run)).run();
        assertEquals(List.of(3), outcome.skippedSteps());
        assertEquals(6, outcome.lastStep());
        assertEquals(Set.of("step-1", "step-2", "step-4", "step-5", "step-6", "latest"), LoopHarness.checkpointNames(run));
        assertEquals(5, h.lastPolicy.updates());
        assertEquals(6, LoopHarness.metrics(run).size());
    }

    @Test
    void freshRunRefusesARunDirectoryThatHoldsARun() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 2;
        Path run = tmp.resolve("twice");
        new TrainingJob(h.build(run)).run();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainingJob(h.build(run)).run());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    @Test
    void resumeRefusesAChangedSeed() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 2;
        Path run = tmp.resolve("seed");
        new TrainingJob(h.build(run)).run();
        h.seed = 7;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainingJob(h.build(run)).resume());
        assertTrue(e.getMessage().contains("run.seed"), e.getMessage());
    }

    @Test
    void differentSeedsGiveDifferentRuns() throws Exception {
        LoopHarness h = new LoopHarness();
        h.steps = 3;
        Path a = tmp.resolve("s42");
        new TrainingJob(h.build(a)).run();
        h.seed = 43;
        Path b = tmp.resolve("s43");
        new TrainingJob(h.build(b)).run();
        assertFalse(LoopHarness.comparable(a).equals(LoopHarness.comparable(b)));
    }
}
