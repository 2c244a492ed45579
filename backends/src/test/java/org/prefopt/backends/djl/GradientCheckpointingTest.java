package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.prefopt.backends.djl.PolicyDiagnostics.gradient;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.trainableNames;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prefopt.api.model.PolicyModel.AccumulationResult;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.djl.policy.PolicySettings;

/**
 * Gradient checkpointing (layers re-run in the backward pass) must give the gradients of the ordinary pass, which
 * {@code PolicyTrainingTest} checks against finite differences: for untied (llama) and tied (qwen2) heads, with
 * left padding, with entropy terms, over several optimizer steps, and under LoRA with dropout, where the re-run
 * must draw the same masks.
 */
class GradientCheckpointingTest {

    /** Two sequences of different lengths, so the shorter one is left-padded. */
    private static final List<TokenSequence> BATCH = List.of(
            new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 11, 2, 8}),
            new TokenSequence(new int[] {4, 8}, new int[] {6, 1, 9}));

    private static final int[][] PROBE = {{1, 5, 9, 3, 7}};

    private static final TokenLoss LOSS = Fixtures.weightedTokenLoss();

    private static DjlPolicyModel policy(String fixture, LoraSettings lora, int chunkTokens, boolean checkpointing) {
        PolicySettings s = Fixtures.settings(1e-2, lora, null, 7, chunkTokens, checkpointing);
        return Policies.fromCheckpoint(Fixtures.backend(), Fixtures.checkpoint(fixture), new TestTokenizer(), s);
    }

    /** Accumulates on both, checks scores and every trainable gradient agree, then steps both. */
    private static void stepAndCompare(DjlPolicyModel plain, DjlPolicyModel checkpointed, String where) {
        AccumulationResult a = plain.accumulateGradients(BATCH, LOSS, true);
        AccumulationResult b = checkpointed.accumulateGradients(BATCH, LOSS, true);
        for (int i = 0; i < BATCH.size(); i++) {
            assertArrayEquals(a.scores().get(i).logprobs(), b.scores().get(i).logprobs(), 1e-6f, where);
            assertArrayEquals(a.scores().get(i).entropies(), b.scores().get(i).entropies(), 1e-6f, where);
        }
        for (String n : trainableNames(plain)) {
            float[] ga = gradient(plain, n);
            float[] gb = gradient(checkpointed, n);
            double scale = Math.max(1e-3, Arrays.stream(toDoubles(ga)).map(Math::abs).max().orElse(0));
            assertArrayEquals(ga, gb, (float) (1e-5 * scale), where + ": gradient of " + n);
        }
        plain.optimizerStep();
        checkpointed.optimizerStep();
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest
    @CsvSource({"llama, 0", "llama, 3", "qwen2, 0", "qwen2, 3"})
    void fullFineTuningGradientsMatchTheKeptGraph(String fixture, int chunkTokens) {
        try (DjlPolicyModel plain = policy(fixture, null, chunkTokens, false);
             DjlPolicyModel checkpointed = policy(fixture, null, chunkTokens, true)) {
            for (int step = 0; step < 3; step++) {
                stepAndCompare(plain, checkpointed, fixture + " step " + step);
            }
            assertArrayEquals(logits(plain, PROBE, ScoringMode.POLICY), logits(checkpointed, PROBE, ScoringMode.POLICY),
                    1e-5f);
        }
    }

    @Test
    void loraDropoutDrawsTheSameMasksWhenLayersAreReRun() {
        LoraSettings dropout = new LoraSettings(4, 8, 0.3, List.of("q_proj", "v_proj", "o_proj", "down_proj"));
        LoraSettings none = new LoraSettings(4, 8, 0.0, dropout.targetModules());
        try (DjlPolicyModel plain = policy("qwen2", dropout, 0, false);
             DjlPolicyModel checkpointed = policy("qwen2", dropout, 0, true);
             DjlPolicyModel noDropout = policy("qwen2", none, 0, true)) {
            // B starts at zero, so A's gradient is zero on the first step: compare over three
            for (int step = 0; step < 3; step++) {
                stepAndCompare(plain, checkpointed, "lora step " + step);
                noDropout.accumulateGradients(BATCH, LOSS, true);
                noDropout.optimizerStep();
            }
            float[] with = logits(checkpointed, PROBE, ScoringMode.POLICY);
            assertArrayEquals(logits(plain, PROBE, ScoringMode.POLICY), with, 1e-5f);
            // dropout is really on: without it the policy ends up elsewhere
            assertFalse(Arrays.equals(with, logits(noDropout, PROBE, ScoringMode.POLICY)));
        }
    }
}
