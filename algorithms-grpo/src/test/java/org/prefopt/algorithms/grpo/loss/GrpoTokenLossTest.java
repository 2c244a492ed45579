package org.prefopt.algorithms.grpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;

class GrpoTokenLossTest {

    private static final double LN2 = Math.log(2);

    /**
     * Hand-worked example, grpo aggregation (N = 2), ε = 0.2, β = 0.1 with k3, entropy coefficient 0.01.
     * <pre>
     * seq A (A = +1): old = [-1, -1], lp = [-1 + ln 1.5, -1 + ln 0.9], ref = [lp1, lp2 + ln 2], H = [1, 2]
     * seq B (A = -1): old = [-2],     lp = [-2 + ln 0.5],             ref = [lp - ln 2],       H = [0.5]
     * weights (grpo): wA = 1/(2·2) = 0.25, wB = 1/(2·1) = 0.5
     * A1: r = 1.5 > 1.2 with A > 0 -> clip loss -1.2, d 0;   d = 0 -> k3 = 0, dk3 = 0
     * A2: r = 0.9 inside      -> clip loss -0.9, d -0.9;     d = ln2 -> k3 = 2 - ln2 - 1 = 1 - ln2, dk3 = 1 - 2 = -1
     * B1: r = 0.5 < 0.8, A < 0 -> clip loss 0.8, d 0;        d = -ln2 -> k3 = 0.5 + ln2 - 1 = ln2 - 0.5, dk3 = 0.5
     * token losses: A1 = -1.2 - 0.01 = -1.21;  A2 = -0.9 + 0.1(1 - ln2) - 0.02;  B1 = 0.8 + 0.1(ln2 - 0.5) - 0.005
     * L = 0.25 (A1 + A2) + 0.5 B1
     * dL/dlp: A1 = 0.25·0 = 0; A2 = 0.25(-0.9 - 0.1) = -0.25; B1 = 0.5(0 + 0.05) = 0.025
     * dL/dH: A = -0.01·0.25 = -0.0025, B = -0.01·0.5 = -0.005
     * stats: 3 tokens; low-clipped B1, high-clipped A1; kl mean = (0 + 1 - ln2 + ln2 - 0.5) / 3 = 1/6
     * </pre>
     */
    @Test
    void handWorkedLossGradientsAndStats() {
        float[] lpA = {(float) (-1 + Math.log(1.5)), (float) (-1 + Math.log(0.9))};
        float[] lpB = {(float) (-2 + Math.log(0.5))};
        List<float[]> old = List.of(new float[] {-1, -1}, new float[] {-2});
        List<float[]> ref = List.of(new float[] {lpA[0], (float) (lpA[1] + LN2)}, new float[] {(float) (lpB[0] - LN2)});
        GrpoStats stats = new GrpoStats();
        GrpoTokenLoss loss = new GrpoTokenLoss(new GrpoTokenLoss.Settings(0.2, 0.2, 0.1, KlEstimator.K3, 0.01),
                new double[] {1, -1}, new double[] {0.25, 0.5}, old, ref, stats);
        LossGradients g = loss.evaluate(List.of(new SequenceScores(lpA, new float[] {1, 2}),
                new SequenceScores(lpB, new float[] {0.5f})));

        double a1 = -1.21;
        double a2 = -0.9 + 0.1 * (1 - LN2) - 0.02;
        double b1 = 0.8 + 0.1 * (LN2 - 0.5) - 0.005;
        assertEquals(0.25 * (a1 + a2) + 0.5 * b1, g.loss(), 1e-6);
        assertEquals(0.0, g.logprobGradients().get(0)[0], 1e-6);
        assertEquals(-0.25, g.logprobGradients().get(0)[1], 1e-6);
        assertEquals(0.025, g.logprobGradients().get(1)[0], 1e-6);
        assertEquals(-0.0025, g.entropyGradients().get(0)[0], 1e-9);
        assertEquals(-0.0025, g.entropyGradients().get(0)[1], 1e-9);
        assertEquals(-0.005, g.entropyGradients().get(1)[0], 1e-9);

        Map<String, Double> m = stats.metrics(true);
        assertEquals(1.0 / 3, m.get("clip_ratio/low_mean"), 1e-12);
        assertEquals(1.0 / 3, m.get("clip_ratio/high_mean"), 1e-12);
        assertEquals(2.0 / 3, m.get("clip_ratio/region_mean"), 1e-12);
        assertEquals(1.0 / 6, m.get("kl"), 1e-6);
        assertEquals(3.5 / 3, m.get("entropy"), 1e-6);
    }

    @Test
    void withoutOldLogprobsTheRatioIsOneAndTheGradientIsMinusWeightedAdvantage() {
        // first iteration: r = 1 everywhere, l = -A per token, dL/dlp = -w·A
        GrpoTokenLoss loss = new GrpoTokenLoss(new GrpoTokenLoss.Settings(0.2, 0.2, 0, KlEstimator.K3, 0),
                new double[] {0.5, -2}, new double[] {0.1, 0.3}, null, null, new GrpoStats());
        LossGradients g = loss.evaluate(List.of(new SequenceScores(new float[] {-0.3f, -4f}, null),
                new SequenceScores(new float[] {-1f}, null)));
        // L = 0.1 · 2 · (-0.5) + 0.3 · 1 · 2 = -0.1 + 0.6
        assertEquals(0.5, g.loss(), 1e-12);
        assertEquals(-0.05, g.logprobGradients().get(0)[0], 1e-7);
        assertEquals(-0.05, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(0.6, g.logprobGradients().get(1)[0], 1e-7);
        assertNull(g.entropyGradients());
        assertEquals(2, loss.seenLogprobs().size());
        assertEquals(-4f, loss.seenLogprobs().get(0)[1]);
    }

    @Test
    void gradientsMatchCentralDifferencesForEveryEstimator() {
        int[] lengths = {3, 1, 4};
        RandomTokenScores scores = RandomTokenScores.of(7, lengths, 8);
        List<float[]> lp = scores.current();
        List<float[]> old = scores.old();
        List<float[]> ref = scores.reference();
        List<float[]> ent = scores.entropy();
        double[] adv = {0.7, -1.2, 0.3};
        double[] w = {1.0 / 9, 1.0 / 3, 1.0 / 12};
        for (KlEstimator k : KlEstimator.values()) {
            GrpoTokenLoss.Settings s = new GrpoTokenLoss.Settings(0.2, 0.28, 0.04, k, 0.03);
            LossGradients g = new GrpoTokenLoss(s, adv, w, old, ref, new GrpoStats()).evaluate(scores(lp, ent));
            float h = 1f / 1024;
            for (int i = 0; i < lengths.length; i++) {
                for (int t = 0; t < lengths[i]; t++) {
                    double ratio = Math.exp(lp.get(i)[t] - old.get(i)[t]);
                    if (Math.abs(ratio - 0.8) < 0.01 || Math.abs(ratio - 1.28) < 0.01) {
                        continue; // a kink: no derivative
                    }
                    double fd = (perturbed(s, adv, w, old, ref, lp, ent, i, t, h, false)
                            - perturbed(s, adv, w, old, ref, lp, ent, i, t, -h, false)) / (2 * h);
                    assertEquals(fd, g.logprobGradients().get(i)[t], 2e-5, k + " lp seq " + i + " token " + t);
                    double fdH = (perturbed(s, adv, w, old, ref, lp, ent, i, t, h, true)
                            - perturbed(s, adv, w, old, ref, lp, ent, i, t, -h, true)) / (2 * h);
                    assertEquals(fdH, g.entropyGradients().get(i)[t], 1e-6, k + " H seq " + i + " token " + t);
                }
            }
        }
    }

    private static double perturbed(GrpoTokenLoss.Settings s, double[] adv, double[] w, List<float[]> old,
                                    List<float[]> ref, List<float[]> lp, List<float[]> ent, int i, int t, float h,
                                    boolean entropy) {
        List<float[]> lp2 = new ArrayList<>();
        List<float[]> ent2 = new ArrayList<>();
        for (int k = 0; k < lp.size(); k++) {
            lp2.add(lp.get(k).clone());
            ent2.add(ent.get(k).clone());
        }
        if (entropy) {
            ent2.get(i)[t] += h;
        } else {
            lp2.get(i)[t] += h;
        }
        return new GrpoTokenLoss(s, adv, w, old, ref, new GrpoStats()).evaluate(scores(lp2, ent2)).loss();
    }

    private static List<SequenceScores> scores(List<float[]> lp, List<float[]> ent) {
        List<SequenceScores> out = new ArrayList<>();
        for (int i = 0; i < lp.size(); i++) {
            out.add(new SequenceScores(lp.get(i), ent.get(i)));
        }
        return out;
    }

    @Test
    void nonFiniteLossTurnsEveryGradientIntoNaN() {
        GrpoTokenLoss loss = new GrpoTokenLoss(new GrpoTokenLoss.Settings(0.2, 0.2, 0, KlEstimator.K3, 0),
                new double[] {1, 1}, new double[] {0.5, 0.5}, null, null, new GrpoStats());
        LossGradients g = loss.evaluate(List.of(new SequenceScores(new float[] {-1f}, null),
                new SequenceScores(new float[] {Float.NaN}, null)));
        assertTrue(loss.nonFinite());
        assertTrue(Float.isNaN(g.logprobGradients().get(0)[0]));
        assertTrue(Float.isNaN(g.logprobGradients().get(1)[0]));
    }

    /**
     * Truncated importance sampling towards the rollout engine, hand-worked: one sequence, A = +1, w = 1, no old
     * log-probs (r = 1, so the policy term is -r·A = -1 with gradient -1 per token), lp = [-1, -2],
     * engine = [-3, -1], cap 2: weights min(exp(-1 + 3), 2) = 2 and min(exp(-2 + 1), 2) = e^-1;
     * L = -2 - e^-1, dL/dlp = [-2, -e^-1]. Without engine log-probs the weights are 1.
     */
    @Test
    void truncatedImportanceSamplingWeighsThePolicyTerm() {
        float[] lp = {-1, -2};
        GrpoTokenLoss.Settings settings = new GrpoTokenLoss.Settings(0.2, 0.2, 0, KlEstimator.K3, 0);
        LossGradients g = new GrpoTokenLoss(settings, new double[] {1}, new double[] {1}, null, null,
                new GrpoStats(), List.of(new float[] {-3, -1}), 2.0).evaluate(List.of(new SequenceScores(lp, null)));
        assertEquals(-2 - Math.exp(-1), g.loss(), 1e-6);
        assertEquals(-2.0, g.logprobGradients().get(0)[0], 1e-6);
        assertEquals(-Math.exp(-1), g.logprobGradients().get(0)[1], 1e-6);
        LossGradients plain = new GrpoTokenLoss(settings, new double[] {1}, new double[] {1}, null, null,
                new GrpoStats()).evaluate(List.of(new SequenceScores(lp, null)));
        assertEquals(-2.0, plain.loss(), 1e-6);
    }
}
