package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SimPO, ORPO and KTO through the distribution, each one line ({@code loss-type}) of an offline preference run on a
 * small file written here: the preference accuracy and the implicit reward margin on the training data must rise, as
 * they do when the policy learns the preferences. KTO reads the same preferences as unpaired records (a completion
 * with a true/false label), so the dataset's unpaired format is exercised too.
 */
class DpoFamilyEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"simpo", "orpo", "kto"})
    void preferenceAccuracyRises(String lossType) throws Exception {
        boolean unpaired = lossType.equals("kto");
        // chosen: the right sum in the GSM8K format; rejected: a wrong sum (the pairs a verifier would make)
        Random rnd = new Random(5);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            int a = rnd.nextInt(10);
            int b = rnd.nextInt(10);
            int wrong = a + b + 1 + rnd.nextInt(3);
            String prompt = "What is " + a + " + " + b + "?\n";
            String chosen = a + " + " + b + " = " + (a + b) + "\n#### " + (a + b);
            String rejected = a + " + " + b + " = " + wrong + "\n#### " + wrong;
            if (unpaired) {
                data.append(JSON.writeValueAsString(Map.of("id", "d" + i, "prompt", prompt, "completion", chosen,
                        "label", true))).append('\n');
                data.append(JSON.writeValueAsString(Map.of("id", "u" + i, "prompt", prompt, "completion", rejected,
                        "label", false))).append('\n');
            } else {
                data.append(JSON.writeValueAsString(Map.of("id", "p" + i, "prompt", prompt, "chosen", chosen,
                        "rejected", rejected))).append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve("prefs.jsonl"), data.toString());
        String algorithm = switch (lossType) {
            case "simpo" -> "loss-type = simpo, beta = 2.0, gamma = 0.5";
            case "orpo" -> "loss-type = orpo, lambda = 0.5";
            default -> "loss-type = kto, beta = 0.1";
        };
        Path conf = Files.writeString(dir.resolve(lossType + ".conf"), """
                run { name = offline-%s, seed = 3, steps = 150, log-every = 50 }
                backend { type = djl-pytorch, device = cpu }
                policy { type = tiny, preset = tiny, learning-rate = 2e-3 }
                dataset { type = preference-jsonl, path = "%s" }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer } ]
                prompt { template = "{question}" }
                algorithm { type = dpo, pairs = offline, prompts-per-step = %d, %s }
                eval { at-start = false, sets = [] }
                """.formatted(lossType, file.toString().replace("\\", "\\\\"), unpaired ? 16 : 8, algorithm));
        Path runDir = dir.resolve("run");
        Distribution.Result r = Distribution.run(dir, 900, "run", conf.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.exitCode(), r.output());

        List<JsonNode> lines = Distribution.metrics(runDir, "step");
        assertEquals(150, lines.size());
        double accFirst = Distribution.mean(lines.subList(0, 20), "rewards/accuracies");
        double accLast = Distribution.mean(lines.subList(130, 150), "rewards/accuracies");
        double marginFirst = Distribution.mean(lines.subList(0, 20), "rewards/margins");
        double marginLast = Distribution.mean(lines.subList(130, 150), "rewards/margins");
        System.out.printf("offline %s: accuracies %.3f -> %.3f, margins %.3f -> %.3f%n", lossType, accFirst, accLast,
                marginFirst, marginLast);
        // measured on the shared 2-core machine (first vs last 20 of 150 steps): simpo 0.725 -> 0.938,
        // orpo 0.744 -> 0.863, kto 0.591 -> 0.744
        assertTrue(accLast > accFirst + 0.1, lossType + ": accuracies did not rise: " + accFirst + " -> " + accLast);
        assertTrue(marginLast > marginFirst, lossType + ": margins did not rise: " + marginFirst + " -> "
                + marginLast);
        if (unpaired) {
            assertTrue(lines.get(149).has("kl"), "kto logs its reference point as kl");
        } else {
            assertTrue(!lines.get(149).has("ref_cache_hit_rate"), lossType + " must make no reference pass");
        }
    }
}
