package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/tiny/dpo.conf} through the distribution: the tiny policy's SFT warm start, then online DPO (+ NLL)
 * on pairs of its own samples. DPO must raise held-out sampled accuracy over the model it starts from (last
 * evaluation vs the evaluation at the end of SFT), not lower its greedy accuracy, and raise the reward of its own
 * samples.
 */
class DpoEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void onlineDpoRaisesHeldOutAccuracyOverTheSftModel() throws Exception {
        Path run = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 2400, "run", Distribution.example("tiny/dpo.conf").toString(),
                "--run-dir", run.toString());
        assertEquals(0, r.exitCode(), r.output());

        JsonNode start = JSON.readTree(run.resolve("eval/heldout/step-400.json").toFile());
        JsonNode end = JSON.readTree(run.resolve("eval/heldout/step-700.json").toFile());
        double greedyStart = start.at("/greedy/overall/accuracy").asDouble();
        double greedyEnd = end.at("/greedy/overall/accuracy").asDouble();
        double sampledStart = start.at("/sampled/mean_at_k/overall/mean").asDouble();
        double sampledEnd = end.at("/sampled/mean_at_k/overall/mean").asDouble();
        // a step whose prompts all agree forms no pair and has no DPO metrics
        List<JsonNode> dpoSteps = Distribution.metrics(run, "rewards/margins");
        assertTrue(dpoSteps.size() >= 250, "only " + dpoSteps.size() + " of 300 DPO steps formed pairs");
        double first = Distribution.mean(dpoSteps.subList(0, 50), "reward");
        double last = Distribution.mean(dpoSteps.subList(dpoSteps.size() - 50, dpoSteps.size()), "reward");
        System.out.printf("DPO: held-out greedy %.3f -> %.3f, sampled mean@k %.3f -> %.3f, own-sample reward %.3f"
                + " -> %.3f%n", greedyStart, greedyEnd, sampledStart, sampledEnd, first, last);
        // sampled mean@4 (1600 graded samples) is the steadier measure. Greedy pass@1 on 400 problems rose by
        // 2.5 to 4.5 points for learning rates 3e-5 to 1e-4 on the development machine (19.8% -> 23.0% with the
        // example's settings) but swings by several points between evaluations, and another CPU or thread count
        // gives another trajectory, so it is only required not to fall beyond that noise
        assertTrue(sampledEnd >= sampledStart + 0.02, "sampled accuracy did not rise by 2 points: " + sampledStart
                + " -> " + sampledEnd);
        assertTrue(greedyEnd >= greedyStart - 0.03, "greedy accuracy fell: " + greedyStart + " -> " + greedyEnd);
        assertTrue(last > first, "the reward of DPO's own samples did not rise: " + first + " -> " + last);
    }
}
