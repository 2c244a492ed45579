package org.prefopt.launcher.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path run;

    private static LoopState state(int step) {
        return new LoopState(LoopState.FORMAT, step, 0, "main", 42, 100, step, step * 10L);
    }

    private static void writePolicy(Path dir) {
        try {
            Files.writeString(dir.resolve("weights.txt"), "w");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void halfWrittenCheckpointsAreIgnoredAndCleanedUp() throws Exception {
        CheckpointStore store = new CheckpointStore(run, 3);
        store.write(state(2), TestPolicyWriter::write, new byte[] {1}, new byte[] {2});
        // a crash while assembling step 4, one while deleting, and a step directory without its loop.json
        Path tmp = run.resolve("checkpoints/.tmp-step-4-abc");
        Files.createDirectories(tmp.resolve("policy"));
        Path del = run.resolve("checkpoints/.del-step-1-abc");
        Files.createDirectories(del);
        Files.createDirectories(run.resolve("checkpoints/step-9/policy"));

        CheckpointStore.Checkpoint latest = store.latest().orElseThrow();
        assertEquals(2, latest.state().step());
        assertEquals(20, latest.state().numTokens());
        assertEquals(1, latest.samplerState()[0]);
        assertEquals(2, latest.algorithmState()[0]);
        assertTrue(Files.isRegularFile(latest.policyDirectory().resolve("weights.txt")));

        store.cleanUp();
        assertFalse(Files.exists(tmp));
        assertFalse(Files.exists(del));
    }

    @Test
    void newestCompleteCheckpointWinsEvenIfLatestPointerLags() throws Exception {
        CheckpointStore store = new CheckpointStore(run, 5);
        store.write(state(3), TestPolicyWriter::write, new byte[0], new byte[0]);
        store.write(state(6), TestPolicyWriter::write, new byte[0], new byte[0]);
        // a crash between the rename of step-6 and the pointer update
        Files.writeString(run.resolve("checkpoints/latest"), "step-3\n");
        assertEquals(6, store.latest().orElseThrow().state().step());
    }

    @Test
    void retentionKeepsTheNewest() throws Exception {
        CheckpointStore store = new CheckpointStore(run, 2);
        for (int step : List.of(1, 2, 3, 10, 11)) {
            store.write(state(step), TestPolicyWriter::write, new byte[0], new byte[0]);
        }
        assertEquals(List.of(run.resolve("checkpoints/step-10"), run.resolve("checkpoints/step-11")),
                store.completeCheckpoints(), "numeric, not lexical, order");
        assertEquals("step-11", Files.readString(run.resolve("checkpoints/latest")).trim());
        try (var s = Files.list(run.resolve("checkpoints"))) {
            assertEquals(3, s.count(), "two checkpoints and the pointer, no leftovers");
        }
    }

    @Test
    void aFailingPolicyWriteLeavesNoCheckpoint() throws Exception {
        CheckpointStore store = new CheckpointStore(run, 2);
        store.write(state(1), TestPolicyWriter::write, new byte[0], new byte[0]);
        assertThrows(IllegalStateException.class, () -> store.write(state(2), dir -> {
            throw new IllegalStateException("disk full");
        }, new byte[0], new byte[0]));
        assertEquals(1, store.latest().orElseThrow().state().step());
        try (var s = Files.list(run.resolve("checkpoints"))) {
            assertEquals(2, s.count(), "step-1 and latest only: the temp directory was removed");
        }
    }

    @Test
    void emptyRunHasNoCheckpoint() {
        assertTrue(new CheckpointStore(run, 1).latest().isEmpty());
    }

    /** Named helper so the method reference reads clearly in the tests above. */
    static final class TestPolicyWriter {
        static void write(Path dir) {
            writePolicy(dir);
        }
    }
}
