package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle (after some checkpoints, while it is still training) and resumed with
 * {@code prefopt run --resume}.
 *
 * <p>Checked: the resume starts from the last complete checkpoint, the metrics written up to that checkpoint are kept
 * byte for byte, the half-written rest is replaced, the run completes every step, and its metrics and final
 * evaluation generations are identical to those of an uninterrupted run in another process.
 */
class ResumeAfterKillIT {

    private static final String RUN = """
            run { name = resume-check, seed = 7 }
            backend { type = djl-pytorch, device = cpu }
            policy { type = tiny, preset = tiny, learning-rate = 2e-3 }
            dataset { type = synthetic-arithmetic, style = gsm8k, count = 500, seed = 3, max-level = 2 }
            sampler { type = uniform }
            reward = [ { type = gsm8k-answer, weight = 1.0 } ]
            prompt { template = "{question}\\n" }
            generation { max-new-tokens = 24, temperature = 1.0 }
            stages = [
              { name = warmup, steps = 30, algorithm { type = sft, prompts-per-step = 16 } }
              { name = grpo, steps = 30, algorithm { type = grpo, group-size = 8, prompts-per-step = 8,
                                                     zero-std-groups = keep } }
            ]
            eval { every = 25, sets = [ { name = heldout, dataset { type = synthetic-arithmetic, style = gsm8k,
                                                                      count = 20, seed = 99, max-level = 2 } } ] }
            checkpoint { every = 5, keep-last = 2 }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void killedRunResumesFromItsLastCheckpointAndCompletes() throws Exception {
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, RUN);
        Path killed = dir.resolve("killed");
        killMidway(killed);
        List<String> before = Files.readAllLines(killed.resolve("metrics.jsonl"));
        int checkpointStep;
        try (var dirs = Files.list(killed.resolve("checkpoints"))) {
            // as the loader does: the highest complete checkpoint (loop.json is written last)
            checkpointStep = dirs.filter(d -> d.getFileName().toString().matches("step-\\d+")
                            && Files.exists(d.resolve("loop.json")))
                    .mapToInt(d -> Integer.parseInt(d.getFileName().toString().substring(5))).max().orElse(0);
        }
        assertTrue(checkpointStep >= 40, "expected a checkpoint at step 40 or later before the kill, got "
                + checkpointStep);

        Distribution.Result resumed = Distribution.run(dir, 600, "run", "--resume", killed.toString());
        assertEquals(0, resumed.exitCode(), resumed.output());
        assertTrue(resumed.output().contains("resuming from"), resumed.output());
        assertTrue(resumed.output().contains("(step " + checkpointStep + ")"), resumed.output());

        List<String> after = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertEquals(60, after.size());
        for (int i = 0; i < after.size(); i++) {
            assertEquals(i + 1, JSON.readTree(after.get(i)).get("step").asInt(), "step numbering after the resume");
        }
        assertEquals(before.subList(0, checkpointStep), after.subList(0, checkpointStep),
                "metrics up to the checkpoint must be kept as they were");
        assertTrue(Files.exists(killed.resolve("checkpoints/step-60/loop.json")));
        assertTrue(Files.exists(killed.resolve("eval/heldout/step-60.json")));
    }

    @Test
    void killedAndResumedRunMatchesAnUninterruptedOne() throws Exception {
        Path conf = dir.resolve("run.conf");
        Files.writeString(conf, RUN);

        Path straight = dir.resolve("straight");
        Distribution.Result whole = Distribution.run(dir, 600, "run", conf.toString(), "--run-dir", straight.toString());
        assertEquals(0, whole.exitCode(), whole.output());

        Path killed = dir.resolve("killed");
        killMidway(killed);
        int before = lines(killed.resolve("metrics.jsonl"));
        assertTrue(before < 60, "the run finished before it was killed (" + before + " lines)");

        Distribution.Result resumed = Distribution.run(dir, 600, "run", "--resume", killed.toString());
        assertEquals(0, resumed.exitCode(), resumed.output());
        assertTrue(resumed.output().contains("resuming from"), resumed.output());

        List<JsonNode> expected = metrics(straight.resolve("metrics.jsonl"));
        List<JsonNode> actual = metrics(killed.resolve("metrics.jsonl"));
        assertEquals(60, expected.size());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "metrics of step " + (i + 1) + " differ after the resume");
        }
        assertEquals(Files.readString(straight.resolve("eval/heldout/step-60-generations.jsonl")),
                Files.readString(killed.resolve("eval/heldout/step-60-generations.jsonl")));
    }

    /** Starts the run and kills it with SIGKILL once it is in the GRPO stage, past a few checkpoints. */
    private void killMidway(Path killed) throws Exception {
        Process process = Distribution.start(dir.resolve("killed.log"), "run", dir.resolve("run.conf").toString(),
                "--run-dir", killed.toString());
        // Kill it once it is in the GRPO stage, past a few checkpoints, and not at a checkpoint boundary.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (lines(killed.resolve("metrics.jsonl")) < 43) {
            assertTrue(process.isAlive(), "the run ended before it could be killed:\n"
                    + Files.readString(dir.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "the run did not reach step 43 in time");
            Thread.sleep(20);
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        process.waitFor();
    }

    private static int lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        return (int) Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).count();
    }

    /** Each step's metrics without wall-clock timings, which legitimately differ between runs. */
    private static List<JsonNode> metrics(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.remove("step_time");
            List<String> timing = new ArrayList<>();
            node.fieldNames().forEachRemaining(n -> {
                if (n.startsWith("time/")) {
                    timing.add(n);
                }
            });
            node.remove(timing);
            out.add(node);
        }
        return out;
    }
}
