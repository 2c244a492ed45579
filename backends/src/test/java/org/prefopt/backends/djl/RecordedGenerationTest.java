package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.backends.djl.policy.DjlPolicyModel;

/**
 * Generation against the output recorded from the engine that grew its KV cache by concatenation (commit "bench:
 * generation peak resident memory ...", before the preallocated cache): greedy and seeded sampling (plain, and with
 * temperature, top-k and top-p) on both reference checkpoints, with prompts of different lengths (left padding),
 * several completions per prompt (shared prefill) and rows that stop early at EOS (batch compaction). The tokens must
 * be the same; the log-probs may differ only by float32 rounding, since the two engines sum attention products over
 * differently laid out keys.
 *
 * <p>{@code -Dprefopt.record=<file>} writes the current engine's output there instead of comparing (how the recording
 * in {@code src/test/resources/recorded/} was made).
 */
class RecordedGenerationTest {

    private static final List<GenerationRequest> REQUESTS = List.of(
            new GenerationRequest("one", new int[] {7}, 3),
            new GenerationRequest("four", new int[] {1, 5, 9, 3}, 2),
            new GenerationRequest("seven", new int[] {4, 8, 15, 16, 23, 30, 11}, 3));

    private static final List<SamplingParams> CASES = List.of(
            SamplingParams.greedy(10),
            new SamplingParams(12, 1.0, 1.0, 0, false, List.of(), 11),
            new SamplingParams(12, 0.8, 0.9, 5, false, List.of(), 3));

    /** Float32 rounding of a log-prob near -5 after the same computation in another summation order. */
    private static final double LOGPROB_TOLERANCE = 2e-5;

    @Test
    void generationMatchesTheRecordedConcatenatingEngine() throws Exception {
        ObjectNode now = generateAll();
        String record = System.getProperty("prefopt.record");
        if (record != null) {
            Files.writeString(Path.of(record), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(now));
            return;
        }
        JsonNode recorded;
        try (InputStream in = getClass().getResourceAsStream("/recorded/generation.json")) {
            recorded = new ObjectMapper().readTree(in);
        }
        int eos = 0;
        double worst = 0;
        for (String checkpoint : List.of("qwen2", "llama")) {
            for (int c = 0; c < CASES.size(); c++) {
                JsonNode want = recorded.get(checkpoint).get(c);
                JsonNode got = now.get(checkpoint).get(c);
                assertEquals(want.size(), got.size());
                for (int i = 0; i < want.size(); i++) {
                    String where = checkpoint + " case " + c + " completion " + i;
                    assertArrayEquals(ints(want.get(i).get("tokens")), ints(got.get(i).get("tokens")), where);
                    double[] a = doubles(want.get(i).get("logprobs"));
                    double[] b = doubles(got.get(i).get("logprobs"));
                    for (int t = 0; t < a.length; t++) {
                        worst = Math.max(worst, Math.abs(a[t] - b[t]));
                    }
                    assertArrayEquals(a, b, LOGPROB_TOLERANCE, where);
                    eos += want.get(i).get("tokens").size() < CASES.get(c).maxNewTokens() ? 1 : 0;
                }
            }
        }
        assertTrue(eos >= 2, "the recording covers rows that stop early (got " + eos + ")");
        System.out.printf("generation vs recorded concatenating engine: max |log-prob diff| %.2e%n", worst);
    }

    private static ObjectNode generateAll() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        for (String checkpoint : List.of("qwen2", "llama")) {
            ArrayNode cases = out.putArray(checkpoint);
            try (DjlPolicyModel p = Fixtures.policy(checkpoint, 1e-3, null)) {
                for (SamplingParams params : CASES) {
                    ArrayNode completions = cases.addArray();
                    for (CompletionGroup g : p.generate(REQUESTS, params)) {
                        for (Completion c : g.completions()) {
                            ObjectNode o = completions.addObject();
                            ArrayNode t = o.putArray("tokens");
                            for (int id : c.tokens()) {
                                t.add(id);
                            }
                            ArrayNode l = o.putArray("logprobs");
                            for (float f : c.logprobs()) {
                                l.add(f);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
