package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/tiny/grpo.conf} (one run of the README's study) through the distribution: the tiny policy on
 * synthetic graded arithmetic, an SFT warm start then GRPO. GRPO must measurably raise the reward of the policy's own samples, and the held-out sampled accuracy
 * must not fall.
 */
class GrpoEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void grpoRaisesTheMeanRewardOfTheEmbeddedDefault() throws Exception {
        Path run = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 2400, "run", Distribution.example("tiny/grpo.conf").toString(),
                "--run-dir", run.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("| step | overall | tier 1 | tier 2 | sampled mean@k |"), r.output());

        List<JsonNode> grpoSteps = Distribution.metrics(run, "reward");
        assertEquals(200, grpoSteps.size(), "GRPO steps logged");
        double first = Distribution.mean(grpoSteps.subList(0, 50), "reward");
        double last = Distribution.mean(grpoSteps.subList(150, 200), "reward");
        // Measured 0.27 -> 0.34 on the 2-core reference machine; the margin leaves room for CPU differences.
        assertTrue(last >= first + 0.04, "GRPO should raise the mean reward: first 50 steps " + first
                + ", last 50 steps " + last);

        double before = sampledAccuracy(run.resolve("eval/heldout/step-600.json"));
        double after = sampledAccuracy(run.resolve("eval/heldout/step-800.json"));
        assertTrue(after >= before, "held-out sampled accuracy fell during GRPO: " + before + " -> " + after);
        assertTrue(Files.exists(run.resolve("checkpoints/step-800/loop.json")));
    }

    private static double sampledAccuracy(Path summary) throws Exception {
        return JSON.readTree(summary.toFile()).at("/sampled/mean_at_k/overall/mean").asDouble();
    }
}
