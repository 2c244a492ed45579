package org.prefopt.launcher.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.rundir.RunFork;
import org.prefopt.launcher.training.fakes.FakeAlgorithm;

/** One warm-up run, two different second stages forked from its end: the ablation pattern of the study. */
class RunForkTest {

    @TempDir
    Path tmp;

    private static LoopHarness harness(int warmSteps, int mainSteps, FakeAlgorithm main) {
        LoopHarness h = new LoopHarness();
        h.steps = warmSteps + mainSteps;
        h.checkpointEvery = 2;
        h.keepLast = 5;
        h.withEval = true;
        h.evalEvery = 2;
        h.stages = n -> mainSteps == 0 ? List.of(Stage.of("warm", new FakeAlgorithm(2, 2), warmSteps))
                : List.of(Stage.of("warm", new FakeAlgorithm(2, 2), warmSteps), Stage.of("main", main, mainSteps));
        return h;
    }

    @Test
    void aForkContinuesFromTheCheckpointWithItsOwnLaterStages() throws Exception {
        Path base = tmp.resolve("base");
        new TrainingJob(harness(4, 0, null).build(base)).run();

        Path straight = tmp.resolve("straight");
        new TrainingJob(harness(4, 6, new FakeAlgorithm(3, 4)).build(straight)).run();

        Path forked = tmp.resolve("forked");
        assertEquals(4, RunFork.fork(base, forked), "a run directory forks from its newest checkpoint");
        assertEquals(4, LoopHarness.metrics(forked).size());
        assertTrue(Files.exists(forked.resolve("eval/heldout/step-4.json")));
        assertTrue(Files.exists(forked.resolve(RunDirectory.FORKED_FROM)));
        new TrainingJob(harness(4, 6, new FakeAlgorithm(3, 4)).build(forked)).resume();

        // the same seed and stages: the fork is indistinguishable from the uninterrupted run
        assertEquals(LoopHarness.comparable(straight), LoopHarness.comparable(forked));
        assertEquals(Files.readString(straight.resolve("eval/heldout/step-10.json")),
                Files.readString(forked.resolve("eval/heldout/step-10.json")));

        Path other = tmp.resolve("other");
        RunFork.fork(base.resolve("checkpoints/step-4"), other);
        new TrainingJob(harness(4, 2, new FakeAlgorithm(2, 3)).build(other)).resume();
        List<Map<String, Object>> m = LoopHarness.comparable(other);
        assertEquals(6, m.size());
        assertEquals(LoopHarness.comparable(base), m.subList(0, 4));
        assertNotEquals(LoopHarness.comparable(straight).subList(4, 6), m.subList(4, 6), "its own second stage");
    }

    @Test
    void forkingFromAnEarlierCheckpointCopiesOnlyWhatCameBefore() throws Exception {
        Path base = tmp.resolve("base");
        new TrainingJob(harness(6, 0, null).build(base)).run();
        Path forked = tmp.resolve("forked");
        assertEquals(2, RunFork.fork(base.resolve("checkpoints/step-2"), forked));
        assertEquals(2, LoopHarness.metrics(forked).size());
        assertTrue(Files.exists(forked.resolve("eval/heldout/step-2.json")));
        assertFalse(Files.exists(forked.resolve("eval/heldout/step-4.json")));
        assertEquals(java.util.Set.of("step-2"), LoopHarness.checkpointNames(forked));
    }

    @Test
    void badSourcesAndTargetsAreRefusedClearly() throws Exception {
        Path notARun = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFork.fork(notARun, tmp.resolve("x")));
        assertTrue(e.getMessage().contains("is neither a run directory"), e.getMessage());

        Path base = tmp.resolve("base");
        new TrainingJob(harness(2, 0, null).build(base)).run();
        Path target = tmp.resolve("target");
        RunFork.fork(base, target);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> RunFork.fork(base, target));
        assertTrue(again.getMessage().contains("already holds checkpoints"), again.getMessage());
    }
}
