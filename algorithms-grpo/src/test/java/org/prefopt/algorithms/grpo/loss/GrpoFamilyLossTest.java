package org.prefopt.algorithms.grpo.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;

/** GSPO's sequence ratio, CISPO and two-sided clipping: hand-worked values and finite differences. */
class GrpoFamilyLossTest {

    private static GrpoTokenLoss.Settings settings(double epsLow, double epsHigh, double beta, double entropy,
                                                   ImportanceSamplingLevel level, PolicyLossType type, double delta,
                                                   double epsilonMax) {
        return new GrpoTokenLoss.Settings(epsLow, epsHigh, beta, KlEstimator.K3, entropy, level, type, delta,
                epsilonMax);
    }

    /**
     * GSPO, ε = 0.2, dapo weights (5 tokens: w = 1/5), no KL.
     * <pre>
     * seq A (A = +1): token ratios [1.5, 0.6] -> s = exp((ln 1.5 + ln 0.6)/2) = sqrt(0.9) = 0.948683, inside [0.8, 1.2]
     *                 each token: loss -s, dL/dlp = -w·A·s = -s/5
     * seq B (A = -1): token ratios [0.5, 0.5, 0.5] -> s = 0.5 < 0.8 with A < 0: clipped, loss -min(-0.5, -0.8) = 0.8,
     *                 gradient 0; all 3 tokens count as low-clipped
     * L = (2·(-s) + 3·0.8) / 5
     * (token level would clip A's first token (1.5 > 1.2) and give its second -0.6: the levels differ)
     * </pre>
     */
    @Test
    void gspoHandWorked() {
        float[] lpA = {(float) (-1 + Math.log(1.5)), (float) (-1 + Math.log(0.6))};
        float[] lpB = new float[3];
        java.util.Arrays.fill(lpB, (float) (-2 + Math.log(0.5)));
        List<float[]> old = List.of(new float[] {-1, -1}, new float[] {-2, -2, -2});
        GrpoStats stats = new GrpoStats();
        LossGradients g = new GrpoTokenLoss(settings(0.2, 0.2, 0, 0, ImportanceSamplingLevel.SEQUENCE,
                PolicyLossType.CLIP, 0, 5), new double[] {1, -1}, new double[] {0.2, 0.2}, old, null, stats)
                .evaluate(List.of(new SequenceScores(lpA, null), new SequenceScores(lpB, null)));
        double s = Math.sqrt(0.9);
        assertEquals((-2 * s + 2.4) / 5, g.loss(), 1e-6);
        assertArrayEquals(new float[] {(float) (-s / 5), (float) (-s / 5)}, g.logprobGradients().get(0), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0}, g.logprobGradients().get(1), 0f);
        Map<String, Double> m = stats.metrics(false);
        assertEquals(3.0 / 5, m.get("clip_ratio/low_mean"), 1e-12);
        assertEquals(0.0, m.get("clip_ratio/high_mean"), 1e-12);
        assertEquals(3.0 / 5, m.get("clip_ratio/region_mean"), 1e-12);
    }

    @Test
    void gspoWithOneTokenCompletionsIsTokenLevelGrpo() {
        Random random = new Random(5);
        int n = 6;
        List<float[]> lp = new ArrayList<>();
        List<float[]> old = new ArrayList<>();
        List<float[]> ref = new ArrayList<>();
        List<float[]> ent = new ArrayList<>();
        double[] adv = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            float l = -(float) (0.1 + 3 * random.nextDouble());
            lp.add(new float[] {l});
            old.add(new float[] {l + (float) (0.6 * random.nextGaussian())}); // ratios well beyond the clip range too
            ref.add(new float[] {l + (float) (0.3 * random.nextGaussian())});
            ent.add(new float[] {(float) random.nextDouble()});
            adv[i] = random.nextGaussian();
            w[i] = 1.0 / n;
        }
        for (double delta : new double[] {0, 1.6}) {
            GrpoStats tokenStats = new GrpoStats();
            GrpoStats sequenceStats = new GrpoStats();
            LossGradients token = new GrpoTokenLoss(settings(0.2, 0.28, 0.05, 0.01, ImportanceSamplingLevel.TOKEN,
                    PolicyLossType.CLIP, delta, 5), adv, w, old, ref, tokenStats).evaluate(scores(lp, ent));
            LossGradients sequence = new GrpoTokenLoss(settings(0.2, 0.28, 0.05, 0.01,
                    ImportanceSamplingLevel.SEQUENCE, PolicyLossType.CLIP, delta, 5), adv, w, old, ref, sequenceStats)
                    .evaluate(scores(lp, ent));
            assertEquals(token.loss(), sequence.loss(), 1e-12);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(token.logprobGradients().get(i), sequence.logprobGradients().get(i), 0f);
                assertArrayEquals(token.entropyGradients().get(i), sequence.entropyGradients().get(i), 0f);
            }
            assertEquals(tokenStats.metrics(true), sequenceStats.metrics(true));
        }
    }

    /**
     * CISPO, ε_max = 1.3, dapo weights w = 1/3 (three one-token sequences), no KL.
     * <pre>
     * r = 1.5, A = +1: weight min(1.5, 1.3) = 1.3 -> loss -1.3·lp, gradient -1.3·w  (capped: in cispo_clip_ratio)
     * r = 0.5, A = +1: weight 0.5               -> loss -0.5·lp, gradient -0.5·w  (no lower cap: still trained)
     * r = 2.0, A = -1: weight 1.3               -> loss +1.3·lp, gradient +1.3·w  (capped but A < 0: not counted)
     * </pre>
     */
    @Test
    void cispoHandWorked() {
        float[] lp = {-1f, -2f, -0.5f};
        double[] ratios = {1.5, 0.5, 2.0};
        List<float[]> current = new ArrayList<>();
        List<float[]> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            current.add(new float[] {lp[i]});
            old.add(new float[] {(float) (lp[i] - Math.log(ratios[i]))});
        }
        GrpoStats stats = new GrpoStats();
        double w = 1.0 / 3;
        LossGradients g = new GrpoTokenLoss(settings(0.2, 0.2, 0, 0, ImportanceSamplingLevel.TOKEN,
                PolicyLossType.CISPO, 0, 1.3), new double[] {1, 1, -1}, new double[] {w, w, w}, old, null, stats)
                .evaluate(scores(current, null));
        assertEquals(w * (-1.3 * -1 - 0.5 * -2 + 1.3 * -0.5), g.loss(), 1e-6);
        assertEquals(-1.3 * w, g.logprobGradients().get(0)[0], 1e-6);
        assertEquals(-0.5 * w, g.logprobGradients().get(1)[0], 1e-6);
        assertEquals(1.3 * w, g.logprobGradients().get(2)[0], 1e-6);
        Map<String, Double> m = stats.metrics(false);
        assertEquals(1.0 / 3, m.get("cispo_clip_ratio"), 1e-12);
        assertFalse(m.containsKey("clip_ratio/region_mean"));
    }

    /** Two-sided clipping: δ = 2, ε = 0.2. */
    @Test
    void deltaCapsTheRatioOfNegativeAdvantages() {
        // A = -1, r = 3 > δ: loss -min(min(3, 2)·(-1), 1.2·(-1)) = 2, gradient 0 (without δ: loss 3, gradient 3)
        assertEquals(2.0, ClippedObjective.lossAtRatio(3, -1, 0.2, 0.2, 2), 1e-12);
        assertEquals(0.0, ClippedObjective.gradientAtRatio(3, -1, 0.2, 0.2, 2), 1e-12);
        assertEquals(3.0, ClippedObjective.lossAtRatio(3, -1, 0.2, 0.2, 0), 1e-12);
        assertEquals(3.0, ClippedObjective.gradientAtRatio(3, -1, 0.2, 0.2, 0), 1e-12);
        // A = -1, r = 1.5 < δ: unchanged, loss 1.5, gradient -A·r = 1.5
        assertEquals(1.5, ClippedObjective.lossAtRatio(1.5, -1, 0.2, 0.2, 2), 1e-12);
        assertEquals(1.5, ClippedObjective.gradientAtRatio(1.5, -1, 0.2, 0.2, 2), 1e-12);
        // A = +1, r = 3: already clipped at 1.2 whatever δ: loss -1.2, gradient 0
        assertEquals(-1.2, ClippedObjective.lossAtRatio(3, 1, 0.2, 0.2, 2), 1e-12);
        assertEquals(0.0, ClippedObjective.gradientAtRatio(3, 1, 0.2, 0.2, 2), 1e-12);
        // central differences in log r away from the kinks 0.8, 1.2, 2
        double h = 1e-6;
        for (double r : new double[] {0.5, 0.9, 1.1, 1.5, 2.5, 4}) {
            for (double a : new double[] {-1.3, 0.7}) {
                double fd = (ClippedObjective.lossAtRatio(r * Math.exp(h), a, 0.2, 0.2, 2)
                        - ClippedObjective.lossAtRatio(r * Math.exp(-h), a, 0.2, 0.2, 2)) / (2 * h);
                assertEquals(fd, ClippedObjective.gradientAtRatio(r, a, 0.2, 0.2, 2), 1e-6, "r=" + r + " A=" + a);
            }
        }
    }

    /** The gradient of every (level, loss, δ) combination against central differences of the loss. */
    @Test
    void gradientsMatchCentralDifferences() {
        int[] lengths = {3, 1, 4, 2};
        RandomTokenScores scores = RandomTokenScores.of(13, lengths, 32);
        List<float[]> lp = scores.current();
        List<float[]> old = scores.old();
        List<float[]> ref = scores.reference();
        List<float[]> ent = scores.entropy();
        double[] adv = {0.7, -1.2, 0.3, -0.5};
        double[] w = {1.0 / 10, 1.0 / 10, 1.0 / 10, 1.0 / 10};
        float h = 1f / 1024;
        for (ImportanceSamplingLevel level : ImportanceSamplingLevel.values()) {
            for (PolicyLossType type : PolicyLossType.values()) {
                for (double delta : type == PolicyLossType.CLIP ? new double[] {0, 1.5} : new double[] {0}) {
                    GrpoTokenLoss.Settings s = settings(0.2, 0.28, 0.04, 0.03, level, type, delta, 1.4);
                    LossGradients g = new GrpoTokenLoss(s, adv, w, old, ref, new GrpoStats()).evaluate(scores(lp, ent));
                    String what = level + "/" + type + "/delta " + delta;
                    for (int i = 0; i < lengths.length; i++) {
                        float[] baseOld = old.get(i);
                        double seq = GrpoTokenLoss.sequenceRatio(lp.get(i), baseOld);
                        for (int t = 0; t < lengths[i]; t++) {
                            double r = level == ImportanceSamplingLevel.SEQUENCE ? seq
                                    : Math.exp(lp.get(i)[t] - baseOld[t]);
                            if (nearKink(r, s)) {
                                continue;
                            }
                            // cispo's weight is a stop-gradient: move old with lp so the weight stays put
                            boolean moveOld = type == PolicyLossType.CISPO;
                            double fd = (perturbed(s, adv, w, old, ref, lp, ent, i, t, h, moveOld)
                                    - perturbed(s, adv, w, old, ref, lp, ent, i, t, -h, moveOld)) / (2 * h);
                            assertEquals(fd, g.logprobGradients().get(i)[t], 3e-5, what + " seq " + i + " t " + t);
                        }
                    }
                }
            }
        }
    }

    private static boolean nearKink(double r, GrpoTokenLoss.Settings s) {
        if (s.lossType() == PolicyLossType.CISPO) {
            return Math.abs(r - s.epsilonMax()) < 0.02;
        }
        return Math.abs(r - (1 - s.epsilonLow())) < 0.02 || Math.abs(r - (1 + s.epsilonHigh())) < 0.02
                || (s.delta() > 0 && Math.abs(r - s.delta()) < 0.02);
    }

    private static double perturbed(GrpoTokenLoss.Settings s, double[] adv, double[] w, List<float[]> old,
                                    List<float[]> ref, List<float[]> lp, List<float[]> ent, int i, int t, float h,
                                    boolean moveOld) {
        List<float[]> lp2 = new ArrayList<>();
        List<float[]> old2 = new ArrayList<>();
        for (int k = 0; k < lp.size(); k++) {
            lp2.add(lp.get(k).clone());
            old2.add(old.get(k).clone());
        }
        lp2.get(i)[t] += h;
        if (moveOld) {
            old2.get(i)[t] += h;
        }
        return new GrpoTokenLoss(s, adv, w, old2, ref, new GrpoStats()).evaluate(scores(lp2, ent)).loss();
    }

    private static List<SequenceScores> scores(List<float[]> lp, List<float[]> ent) {
        List<SequenceScores> out = new ArrayList<>();
        for (int i = 0; i < lp.size(); i++) {
            out.add(new SequenceScores(lp.get(i), ent == null ? null : ent.get(i)));
        }
        return out;
    }
}
