package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.PolicyDiagnostics.gradient;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.perturb;
import static org.prefopt.backends.djl.PolicyDiagnostics.trainableNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.policy.DjlPolicyModel;

class PolicyTrainingTest {

    static final List<TokenSequence> ONE = List.of(new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 11, 2}));

    /** Negative mean log-likelihood of the completion tokens (SFT). */
    static final TokenLoss SFT = scores -> {
        double loss = 0;
        int n = 0;
        for (SequenceScores s : scores) {
            n += s.logprobs().length;
        }
        List<float[]> g = new ArrayList<>();
        for (SequenceScores s : scores) {
            float[] gi = new float[s.logprobs().length];
            for (int i = 0; i < gi.length; i++) {
                loss -= s.logprobs()[i] / n;
                gi[i] = -1f / n;
            }
            g.add(gi);
        }
        return new LossGradients(loss, g, null);
    };

    static double sftLoss(DjlPolicyModel p) {
        return -p.score(ONE, ScoringMode.POLICY, false).get(0).sumLogprob() / 4;
    }

    @Test
    void sftStepsReduceLossFullAndLora() {
        for (boolean useLora : new boolean[] {false, true}) {
            try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, useLora ? Fixtures.lora() : null)) {
                String mode = useLora ? "lora" : "full";
                double before = sftLoss(p);
                double previous = Double.POSITIVE_INFINITY;
                for (int i = 0; i < 10; i++) {
                    // the weights the previous step left, scored independently of the training path
                    double measured = sftLoss(p);
                    var r = p.accumulateGradients(ONE, SFT, false);
                    assertEquals(measured, r.loss(), 1e-5, mode + " step " + i + ": reported loss");
                    assertTrue(r.loss() < previous, mode + " step " + i + ": loss " + r.loss()
                            + " did not decrease from " + previous);
                    previous = r.loss();
                    assertTrue(p.optimizerStep().applied());
                }
                double after = sftLoss(p);
                assertTrue(after < before * 0.7, mode + ": loss " + before + " -> " + after);
            }
        }
    }

    @Test
    void aStageRateOverridesTheScheduleUntilCleared() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, null)) {
            p.accumulateGradients(ONE, SFT, false);
            assertEquals(1e-2, p.optimizerStep().learningRate(), 1e-15);
            p.overrideLearningRate(1.5e-4);
            p.accumulateGradients(ONE, SFT, false);
            assertEquals(1.5e-4, p.optimizerStep().learningRate(), 1e-15);
            p.overrideLearningRate(0);
            p.accumulateGradients(ONE, SFT, false);
            assertEquals(1e-2, p.optimizerStep().learningRate(), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> p.overrideLearningRate(-1));
        }
    }

    /** Scores at a sampling temperature are the log-softmax of logits / temperature, at every completion token. */
    @Test
    void scoresAtATemperatureAreTheLogSoftmaxOfScaledLogits() {
        int[] prompt = {1, 5, 9};
        int[] completion = {3, 7, 11, 2};
        try (DjlPolicyModel p = Fixtures.policy("qwen2", 1e-3, null)) {
            int[] full = {1, 5, 9, 3, 7, 11, 2};
            float[] logits = logits(p, new int[][] {full}, ScoringMode.POLICY);
            int vocab = logits.length / full.length;
            for (double temperature : new double[] {1.0, 0.6, 1.7}) {
                float[] lp = p.score(List.of(new TokenSequence(prompt, completion, temperature)), ScoringMode.POLICY,
                        false).get(0).logprobs();
                for (int j = 0; j < completion.length; j++) {
                    int pos = prompt.length - 1 + j; // the position that predicts completion token j
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < vocab; v++) {
                        max = Math.max(max, logits[pos * vocab + v] / temperature);
                    }
                    double z = 0;
                    for (int v = 0; v < vocab; v++) {
                        z += Math.exp(logits[pos * vocab + v] / temperature - max);
                    }
                    double expected = logits[pos * vocab + completion[j]] / temperature - max - Math.log(z);
                    assertEquals(expected, lp[j], 1e-4, "T=" + temperature + " token " + j);
                }
            }
        }
    }

    /** Loss = Σ a·logp + Σ b·entropy with fixed random weights; its exact gradient vs central differences. */
    @Test
    void surrogateGradientMatchesFiniteDifferences() {
      for (double temperature : new double[] {1.0, 0.7}) {
        Random rnd = new Random(3);
        List<TokenSequence> seqs = List.of(
                new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 11, 2}, temperature),
                new TokenSequence(new int[] {4, 8, 15, 16, 23}, new int[] {6, 1}, temperature));
        float[][] a = {{0.3f, -0.7f, 0.2f, 0.5f}, {-0.4f, 0.9f}};
        float[][] b = {{0.2f, 0.1f, -0.3f, 0.4f}, {0.6f, -0.2f}};
        TokenLoss loss = scores -> {
            double v = 0;
            for (int i = 0; i < scores.size(); i++) {
                for (int j = 0; j < a[i].length; j++) {
                    v += a[i][j] * scores.get(i).logprobs()[j] + b[i][j] * scores.get(i).entropies()[j];
                }
            }
            return new LossGradients(v, List.of(a[0], a[1]), List.of(b[0], b[1]));
        };
        for (boolean useLora : new boolean[] {false, true}) {
            try (DjlPolicyModel p = Fixtures.policy("qwen2", 1e-3, useLora ? Fixtures.lora() : null)) {
                if (useLora) {
                    // move B away from zero so gradients of A are non-trivial
                    for (String n : trainableNames(p)) {
                        for (int k = 0; k < 4; k++) {
                            perturb(p, n, k, 0.3f);
                        }
                    }
                }
                p.accumulateGradients(seqs, loss, true);
                List<String> names = new ArrayList<>(trainableNames(p));
                int checked = 0;
                double worst = 0;
                for (String name : names) {
                    if (!(name.contains("embed") || name.contains("layers.1.self_attn.q_proj")
                            || name.contains("layers.0.mlp.down_proj") || name.contains("layers.0.self_attn.v_proj")
                            || name.contains("norm"))) {
                        continue;
                    }
                    float[] grad = gradient(p, name);
                    for (int t = 0; t < 3; t++) {
                        int idx = rnd.nextInt(grad.length);
                        float h = 1e-2f;
                        perturb(p, name, idx, h);
                        double plus = loss.evaluate(p.score(seqs, ScoringMode.POLICY, true)).loss();
                        perturb(p, name, idx, -2 * h);
                        double minus = loss.evaluate(p.score(seqs, ScoringMode.POLICY, true)).loss();
                        perturb(p, name, idx, h);
                        double fd = (plus - minus) / (2 * h);
                        double err = Math.abs(fd - grad[idx]) / Math.max(0.05, Math.abs(fd));
                        worst = Math.max(worst, err);
                        assertTrue(err < 0.03, name + "[" + idx + "]: analytic " + grad[idx] + " vs fd " + fd
                                + " (loss(+h) " + plus + ", loss(-h) " + minus + ")");
                        checked++;
                    }
                }
                assertTrue(checked >= 6, "checked " + checked);
                System.out.printf("gradient check (%s, T=%.1f): %d entries, worst relative error %.2e%n",
                        useLora ? "lora" : "full", temperature, checked, worst);
            }
        }
      }
    }

    /** The memory-saving path (chunked output layer, recomputed in backward) gives the same scores and gradients. */
    @Test
    void chunkedOutputLayerMatchesUnchunked() {
        List<TokenSequence> seqs = List.of(new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 11, 2, 8}),
                new TokenSequence(new int[] {4, 8}, new int[] {6, 1, 9}));
        TokenLoss loss = Fixtures.weightedTokenLoss();
        var plain = Fixtures.settings(1e-3, null, null, 7);
        var chunked = Fixtures.settings(1e-3, null, null, 7, 3, false);
        try (DjlPolicyModel a = org.prefopt.backends.djl.policy.Policies.fromCheckpoint(Fixtures.backend(),
                Fixtures.checkpoint("qwen2"), new TestTokenizer(), plain);
             DjlPolicyModel b = org.prefopt.backends.djl.policy.Policies.fromCheckpoint(Fixtures.backend(),
                     Fixtures.checkpoint("qwen2"), new TestTokenizer(), chunked)) {
            var ra = a.accumulateGradients(seqs, loss, true);
            var rb = b.accumulateGradients(seqs, loss, true);
            for (int i = 0; i < seqs.size(); i++) {
                assertArrayEquals(ra.scores().get(i).logprobs(), rb.scores().get(i).logprobs(), 1e-6f);
                assertArrayEquals(ra.scores().get(i).entropies(), rb.scores().get(i).entropies(), 1e-6f);
            }
            for (String n : List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.1.mlp.down_proj.weight")) {
                assertArrayEquals(gradient(a, n), gradient(b, n), 1e-5f, n);
            }
        }
    }

    @Test
    void nonFiniteGradientsSkipTheUpdate() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, null)) {
            float[] before = logits(p, new int[][] {{1, 5, 9}}, ScoringMode.POLICY);
            TokenLoss nan = s -> new LossGradients(Double.NaN, List.of(new float[] {Float.NaN, 0, 0, 0}), null);
            p.accumulateGradients(ONE, nan, false);
            OptimizerStepResult r = p.optimizerStep();
            assertFalse(r.applied());
            assertArrayEquals(before, logits(p, new int[][] {{1, 5, 9}}, ScoringMode.POLICY));
            // gradients were cleared: a finite step afterwards works
            p.accumulateGradients(ONE, SFT, false);
            assertTrue(p.optimizerStep().applied());
        }
    }

    @Test
    void referenceScoringUsesInitialWeights() {
        for (boolean useLora : new boolean[] {false, true}) {
            try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, useLora ? Fixtures.lora() : null)) {
                float[] initial = p.score(ONE, ScoringMode.POLICY, false).get(0).logprobs();
                for (int i = 0; i < 3; i++) {
                    p.accumulateGradients(ONE, SFT, false);
                    p.optimizerStep();
                }
                assertArrayEquals(initial, p.score(ONE, ScoringMode.REFERENCE, false).get(0).logprobs(), 1e-6f);
                assertFalse(java.util.Arrays.equals(initial, p.score(ONE, ScoringMode.POLICY, false).get(0).logprobs()));
            }
        }
    }

    @Test
    void trainingStateResumesExactly(@TempDir Path tmp) {
        for (boolean useLora : new boolean[] {false, true}) {
            float[] continued;
            try (DjlPolicyModel p = Fixtures.policy("llama", 1e-2, useLora ? Fixtures.lora() : null)) {
                for (int i = 0; i < 2; i++) {
                    p.accumulateGradients(ONE, SFT, false);
                    p.optimizerStep();
                }
                p.saveTrainingState(tmp.resolve("state"));
                p.saveTrainingState(tmp.resolve("state")); // overwriting an existing state is atomic too
                for (int i = 0; i < 2; i++) {
                    p.accumulateGradients(ONE, SFT, false);
                    p.optimizerStep();
                }
                continued = logits(p, new int[][] {{1, 5, 9, 3}}, ScoringMode.POLICY);
            }
            try (DjlPolicyModel q = Fixtures.policy("llama", 1e-2, useLora ? Fixtures.lora() : null)) {
                q.loadTrainingState(tmp.resolve("state"));
                for (int i = 0; i < 2; i++) {
                    q.accumulateGradients(ONE, SFT, false);
                    q.optimizerStep();
                }
                assertArrayEquals(continued, logits(q, new int[][] {{1, 5, 9, 3}}, ScoringMode.POLICY));
            }
        }
    }

    @Test
    void seededTrainingIsReproducible() {
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            var lora = new org.prefopt.backends.djl.lora.LoraSettings(4, 8, 0.1, List.of("q_proj", "up_proj"));
            try (DjlPolicyModel p = Fixtures.policy("qwen2", 1e-2, lora)) {
                for (int i = 0; i < 3; i++) {
                    p.accumulateGradients(ONE, SFT, false);
                    p.optimizerStep();
                }
                results[run] = logits(p, new int[][] {{1, 5, 9, 3}}, ScoringMode.POLICY);
            }
        }
        assertArrayEquals(results[0], results[1]);
    }
}
