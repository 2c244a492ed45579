package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline DPO through the distribution on a small preference file written here: the implicit reward margin and the
 * preference accuracy on the training pairs must rise, as DPO's do when it learns the preferences.
 */
class OfflineDpoIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void marginsAndAccuraciesRiseOnTheTrainingPairs() throws Exception {
        // chosen: the right sum in the GSM8K format; rejected: a wrong sum (the pairs a verifier would make)
        Random rnd = new Random(5);
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            int a = rnd.nextInt(10);
            int b = rnd.nextInt(10);
            int wrong = a + b + 1 + rnd.nextInt(3);
            pairs.append(JSON.writeValueAsString(java.util.Map.of("id", "p" + i, "difficulty", 1,
                    "prompt", "What is " + a + " + " + b + "?\n",
                    "chosen", a + " + " + b + " = " + (a + b) + "\n#### " + (a + b),
                    "rejected", a + " + " + b + " = " + wrong + "\n#### " + wrong))).append('\n');
        }
        Path data = Files.writeString(dir.resolve("pairs.jsonl"), pairs.toString());
        Path conf = Files.writeString(dir.resolve("dpo.conf"), """
                run { name = offline-dpo, seed = 3, steps = 60, log-every = 10 }
                backend { type = djl-pytorch, device = cpu }
                policy { type = tiny, preset = tiny, learning-rate = 2e-3 }
                dataset { type = preference-jsonl, path = "%s" }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer } ]
                prompt { template = "{question}" }
                algorithm { type = dpo, pairs = offline, beta = 0.1, prompts-per-step = 8 }
                eval { at-start = false, sets = [] }
                """.formatted(data.toString().replace("\\", "\\\\")));
        Path runDir = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 900, "run", conf.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.exitCode(), r.output());

        List<JsonNode> lines = Distribution.metrics(runDir, "step");
        assertEquals(60, lines.size());
        double marginFirst = Distribution.mean(lines.subList(0, 10), "rewards/margins");
        double marginLast = Distribution.mean(lines.subList(50, 60), "rewards/margins");
        double accFirst = Distribution.mean(lines.subList(0, 10), "rewards/accuracies");
        double accLast = Distribution.mean(lines.subList(50, 60), "rewards/accuracies");
        System.out.printf("offline DPO: margins %.3f -> %.3f, accuracies %.3f -> %.3f%n", marginFirst, marginLast,
                accFirst, accLast);
        assertTrue(marginLast > marginFirst + 0.5, "margins did not rise: " + marginFirst + " -> " + marginLast);
        assertTrue(accLast > accFirst + 0.15, "accuracies did not rise: " + accFirst + " -> " + accLast);
    }
}
