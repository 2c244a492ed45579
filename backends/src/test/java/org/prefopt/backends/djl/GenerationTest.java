package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.policy.DjlPolicyModel;

class GenerationTest {

    static final List<GenerationRequest> REQUESTS = List.of(new GenerationRequest("a", new int[] {1, 5, 9, 3}, 3),
            new GenerationRequest("b", new int[] {4, 8}, 2));

    /** Greedy decoding with cache, shared prefill and batch compaction equals argmax of full re-computation. */
    @Test
    void greedyMatchesFullForwardArgmaxAndLogprobs() {
        try (DjlPolicyModel p = Fixtures.policy("qwen2", 1e-3, null)) {
            List<CompletionGroup> groups = p.generate(REQUESTS, SamplingParams.greedy(6));
            assertEquals(2, groups.size());
            int v = p.config().vocabSize();
            for (int g = 0; g < groups.size(); g++) {
                int[] prompt = REQUESTS.get(g).promptTokens();
                assertEquals(REQUESTS.get(g).numCompletions(), groups.get(g).completions().size());
                for (Completion c : groups.get(g).completions()) {
                    assertArrayEquals(groups.get(g).completions().get(0).tokens(), c.tokens());
                    int[] seq = prompt;
                    for (int t = 0; t < c.length(); t++) {
                        float[] logits = logits(p, new int[][] {seq}, ScoringMode.POLICY);
                        int off = (seq.length - 1) * v;
                        int best = 0;
                        double max = Double.NEGATIVE_INFINITY;
                        double lse = 0;
                        for (int k = 0; k < v; k++) {
                            max = Math.max(max, logits[off + k]);
                        }
                        for (int k = 0; k < v; k++) {
                            lse += Math.exp(logits[off + k] - max);
                            if (logits[off + k] > logits[off + best]) {
                                best = k;
                            }
                        }
                        assertEquals(best, c.tokens()[t], "token " + t);
                        assertEquals(logits[off + best] - max - Math.log(lse), c.logprobs()[t], 1e-4);
                        seq = java.util.Arrays.copyOf(seq, seq.length + 1);
                        seq[seq.length - 1] = best;
                    }
                    // generation logprobs equal scoring logprobs
                    float[] scored = p.score(List.of(new TokenSequence(prompt, c.tokens())), ScoringMode.POLICY,
                            false).get(0).logprobs();
                    assertArrayEquals(c.logprobs(), scored, 1e-4f);
                    if (c.stopReason() == StopReason.EOS) {
                        assertEquals(TestTokenizer.EOS, c.tokens()[c.length() - 1]);
                    } else {
                        assertEquals(StopReason.LENGTH, c.stopReason());
                        assertEquals(6, c.length());
                    }
                }
            }
        }
    }

    @Test
    void samplingIsSeededAndFiltersApply() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-3, null)) {
            SamplingParams sp = new SamplingParams(8, 1.3, 0.9, 12, false, List.of(), 11);
            List<CompletionGroup> a = p.generate(REQUESTS, sp);
            List<CompletionGroup> b = p.generate(REQUESTS, sp);
            List<CompletionGroup> c = p.generate(REQUESTS, sp.withSeed(12));
            boolean differs = false;
            for (int g = 0; g < a.size(); g++) {
                for (int i = 0; i < a.get(g).completions().size(); i++) {
                    assertArrayEquals(a.get(g).completions().get(i).tokens(), b.get(g).completions().get(i).tokens());
                    assertArrayEquals(a.get(g).completions().get(i).logprobs(),
                            b.get(g).completions().get(i).logprobs());
                    differs |= !java.util.Arrays.equals(a.get(g).completions().get(i).tokens(),
                            c.get(g).completions().get(i).tokens());
                }
            }
            assertTrue(differs, "another seed should give other samples");
            // top-k = 1 is greedy
            SamplingParams k1 = new SamplingParams(5, 1.0, 1.0, 1, false, List.of(), 3);
            assertArrayEquals(p.generate(REQUESTS, SamplingParams.greedy(5)).get(0).completions().get(0).tokens(),
                    p.generate(REQUESTS, k1).get(0).completions().get(0).tokens());
            // a tiny top-p keeps only the most likely token: also greedy
            SamplingParams p1 = new SamplingParams(5, 1.0, 1e-6, 0, false, List.of(), 3);
            assertArrayEquals(p.generate(REQUESTS, SamplingParams.greedy(5)).get(1).completions().get(1).tokens(),
                    p.generate(REQUESTS, p1).get(1).completions().get(1).tokens());
        }
    }

    @Test
    void stopStringsEndGeneration() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-3, null)) {
            SamplingParams free = new SamplingParams(12, 1.0, 1.0, 0, false, List.of(), 5);
            Completion first = p.generate(REQUESTS, free).get(0).completions().get(0);
            String text = first.text();
            // choose the text's second visible character as the stop string: generation must stop there
            if (text.length() >= 2) {
                String stop = text.substring(1, 2);
                SamplingParams withStop = new SamplingParams(12, 1.0, 1.0, 0, false, List.of(stop), 5);
                Completion stopped = p.generate(REQUESTS, withStop).get(0).completions().get(0);
                assertEquals(StopReason.STOP_STRING, stopped.stopReason());
                assertTrue(stopped.text().contains(stop));
                assertTrue(stopped.length() <= first.length());
                assertNotEquals(StopReason.LENGTH, stopped.stopReason());
            }
        }
    }

    @Test
    void noArraysLeakAcrossCalls() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-3, Fixtures.lora())) {
            var root = Fixtures.backend().manager();
            Runnable work = () -> {
                p.generate(REQUESTS, new SamplingParams(6, 1.0, 0.9, 5, false, List.of("zz"), 1));
                p.accumulateGradients(PolicyTrainingTest.ONE, PolicyTrainingTest.SFT, true);
                p.optimizerStep();
                p.score(PolicyTrainingTest.ONE, ScoringMode.REFERENCE, true);
            };
            work.run();
            int before = count(root);
            for (int i = 0; i < 3; i++) {
                work.run();
            }
            assertTrue(before > 20, "the count covers the policy's arrays (got " + before + ")");
            assertEquals(before, count(root), "arrays alive after repeated calls");
        }
    }

    private static int count(ai.djl.ndarray.NDManager m) {
        int n = m.getManagedArrays().size();
        return n;
    }
}
