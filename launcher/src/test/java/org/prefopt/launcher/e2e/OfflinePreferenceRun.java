package org.prefopt.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An offline preference run of the tiny policy through the distribution, on sums a verifier would judge (chosen: the
 * right sum in the GSM8K format; rejected: a wrong one), and what its training metrics did: the one setup the
 * DPO-family end-to-end tests share.
 */
final class OfflinePreferenceRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OfflinePreferenceRun() {
    }

    /** First and last windows' means of the preference accuracy and the implicit reward margin. */
    record Rise(double accuraciesFirst, double accuraciesLast, double marginsFirst, double marginsLast) {
        @Override
        public String toString() {
            return String.format("accuracies %.3f -> %.3f, margins %.3f -> %.3f", accuraciesFirst, accuraciesLast,
                    marginsFirst, marginsLast);
        }
    }

    /** What the run logged: one metrics line per step. */
    record Outcome(List<JsonNode> steps) {
        /** The means over the first and the last {@code window} steps. */
        Rise rise(int window) {
            List<JsonNode> first = steps.subList(0, window);
            List<JsonNode> last = steps.subList(steps.size() - window, steps.size());
            return new Rise(Distribution.mean(first, "rewards/accuracies"),
                    Distribution.mean(last, "rewards/accuracies"),
                    Distribution.mean(first, "rewards/margins"), Distribution.mean(last, "rewards/margins"));
        }
    }

    /**
     * Writes 48 preferences (paired, or with {@code unpaired} as 96 labelled completions, KTO's format) and runs
     * {@code steps} steps of {@code algorithm { type = dpo, pairs = offline, prompts-per-step = N, <options> }}.
     */
    static Outcome run(Path dir, String name, boolean unpaired, int steps, int promptsPerStep, String algorithmOptions)
            throws Exception {
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
                data.append(JSON.writeValueAsString(Map.of("id", "p" + i, "difficulty", 1, "prompt", prompt,
                        "chosen", chosen, "rejected", rejected))).append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve(name + ".jsonl"), data.toString());
        Path conf = Files.writeString(dir.resolve(name + ".conf"), """
                run { name = %s, seed = 3, steps = %d, log-every = 10 }
                backend { type = djl-pytorch, device = cpu }
                policy { type = tiny, preset = tiny, learning-rate = 2e-3 }
                dataset { type = preference-jsonl, path = "%s" }
                sampler { type = uniform }
                reward = [ { type = gsm8k-answer } ]
                prompt { template = "{question}" }
                algorithm { type = dpo, pairs = offline, prompts-per-step = %d, %s }
                eval { at-start = false, sets = [] }
                """.formatted(name, steps, file.toString().replace("\\", "\\\\"), promptsPerStep, algorithmOptions));
        Path runDir = dir.resolve(name);
        Distribution.Result r = Distribution.run(dir, 900, "run", conf.toString(), "--run-dir", runDir.toString());
        assertEquals(0, r.exitCode(), r.output());
        List<JsonNode> lines = Distribution.metrics(runDir, "step");
        assertEquals(steps, lines.size());
        return new Outcome(lines);
    }
}
