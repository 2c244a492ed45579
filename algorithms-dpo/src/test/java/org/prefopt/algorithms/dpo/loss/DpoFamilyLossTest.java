package org.prefopt.algorithms.dpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;

/** SimPO, ORPO and KTO: hand-worked values and central differences of their gradients. */
class DpoFamilyLossTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static List<SequenceScores> scores(float[]... lps) {
        List<SequenceScores> out = new ArrayList<>();
        for (float[] lp : lps) {
            out.add(new SequenceScores(lp, null));
        }
        return out;
    }

    private static DpoTokenLoss.Settings simpo(double beta, double gamma, double eps) {
        return new DpoTokenLoss.Settings(DpoLossType.SIMPO, beta, eps, false, 0, gamma, 0.1);
    }

    private static DpoTokenLoss.Settings orpo(double lambda) {
        return new DpoTokenLoss.Settings(DpoLossType.ORPO, 0.1, 0, false, 0, 0.5, lambda);
    }

    /**
     * SimPO, β = 2, γ = 0.5, one pair: chosen lp [-1, -2] (mean -1.5), rejected [-3] (mean -3).
     * <pre>
     * x = 2 (-1.5 + 3) - 0.5 = 2.5;  L = -logσ(2.5);  dL/dm_w = -2 σ(-2.5) = -dL/dm_l
     * chosen tokens: -2 σ(-2.5) / 2 each;  rejected token: +2 σ(-2.5)
     * rewards (TRL's CPO): β·m: chosen -3, rejected -6; no reference is read
     * </pre>
     */
    @Test
    void simpoHandWorked() {
        DpoStats stats = new DpoStats();
        LossGradients g = new DpoTokenLoss(simpo(2, 0.5, 0), new double[] {Double.NaN}, new double[] {Double.NaN}, 1,
                stats).evaluate(scores(new float[] {-1, -2}, new float[] {-3}));
        double s = sigmoid(-2.5);
        assertEquals(Math.log1p(Math.exp(-2.5)), g.loss(), 1e-9);
        assertEquals(-2 * s / 2, g.logprobGradients().get(0)[0], 1e-7);
        assertEquals(-2 * s / 2, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(2 * s, g.logprobGradients().get(1)[0], 1e-7);
        Map<String, Double> m = stats.metrics();
        assertEquals(-3.0, m.get("rewards/chosen"), 1e-9);
        assertEquals(-6.0, m.get("rewards/rejected"), 1e-9);
        assertEquals(1.0, m.get("rewards/accuracies"));
        assertEquals(-1.5, m.get("logps/chosen"), 1e-9);
    }

    /**
     * ORPO, λ = 0.1, one pair: chosen lp [ln 0.5, ln 0.5] (mean ln 0.5: odds 1, log odds 0), rejected [ln 0.2]
     * (log odds ln(0.2/0.8) = ln 0.25).
     * <pre>
     * o = 0 - ln 0.25 = ln 4;  logσ(ln 4) = ln 0.8;  σ(-o) = 0.2
     * NLL = token mean over the step's 2 chosen tokens = ln 2
     * L = ln 2 - 0.1 ln 0.8
     * dL/dm_w = -0.1 · 0.2 / (1 - 0.5) = -0.04 -> each chosen token -0.04/2 - 1/2 = -0.52
     * dL/dm_l = +0.1 · 0.2 / (1 - 0.2) = 0.025 -> the rejected token 0.025
     * </pre>
     */
    @Test
    void orpoHandWorked() {
        DpoStats stats = new DpoStats();
        float half = (float) Math.log(0.5);
        float fifth = (float) Math.log(0.2);
        LossGradients g = new DpoTokenLoss(orpo(0.1), new double[1], new double[1], 1, 2, stats)
                .evaluate(scores(new float[] {half, half}, new float[] {fifth}));
        assertEquals(Math.log(2) - 0.1 * Math.log(0.8), g.loss(), 1e-6);
        assertEquals(-0.52, g.logprobGradients().get(0)[0], 1e-6);
        assertEquals(-0.52, g.logprobGradients().get(0)[1], 1e-6);
        assertEquals(0.025, g.logprobGradients().get(1)[0], 1e-6);
        Map<String, Double> m = stats.metrics();
        assertEquals(Math.log(0.8), m.get("log_odds_ratio"), 1e-6);
        assertEquals(Math.log(4), m.get("log_odds_chosen"), 1e-6);
        assertEquals(0.1 * Math.log(0.5), m.get("rewards/chosen"), 1e-6);
    }

    /**
     * KTO, β = 0.5, λ_D = 1, λ_U = 2, z = 0.2, N = 2:
     * <pre>
     * desirable   lp [-1, -1], ref -3  : r = 1,    u = 0.5 (1 - 0.2) = 0.4,   l = 1 - σ(0.4)
     * undesirable lp [-2],     ref -1.5: r = -0.5, v = 0.5 (0.2 + 0.5) = 0.35, l = 2 (1 - σ(0.35))
     * L = (l_D + l_U) / 2
     * dL/dlp: desirable -0.5 σ(0.4)σ(-0.4) / 2 per token, undesirable +2 · 0.5 σ(0.35)σ(-0.35) / 2
     * rewards β r: chosen 0.5, rejected -0.25 (margin 0.75); both on their side of z: accuracy 1
     * </pre>
     */
    @Test
    void ktoHandWorked() {
        KtoStats stats = new KtoStats();
        stats.setKl(0.2);
        LossGradients g = new KtoTokenLoss(new KtoTokenLoss.Settings(0.5, 1, 2), new boolean[] {true, false},
                new double[] {-3, -1.5}, 0.2, 2, stats).evaluate(scores(new float[] {-1, -1}, new float[] {-2}));
        assertEquals(((1 - sigmoid(0.4)) + 2 * (1 - sigmoid(0.35))) / 2, g.loss(), 1e-7);
        double gd = -0.5 * sigmoid(0.4) * sigmoid(-0.4) / 2;
        assertEquals(gd, g.logprobGradients().get(0)[0], 1e-7);
        assertEquals(gd, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(2 * 0.5 * sigmoid(0.35) * sigmoid(-0.35) / 2, g.logprobGradients().get(1)[0], 1e-7);
        Map<String, Double> m = stats.metrics();
        assertEquals(0.5, m.get("rewards/chosen"), 1e-7);
        assertEquals(-0.25, m.get("rewards/rejected"), 1e-7);
        assertEquals(0.75, m.get("rewards/margins"), 1e-7);
        assertEquals(1.0, m.get("rewards/accuracies"));
        assertEquals(0.2, m.get("kl"));
        assertEquals(-2.0, m.get("logps/chosen"), 1e-7);
        assertEquals(1.0, m.get("count/chosen"));
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Random random = new Random(17);
        int[] lengths = {3, 2, 1, 4, 2, 3};
        List<float[]> lp = new ArrayList<>();
        for (int len : lengths) {
            float[] l = new float[len];
            for (int t = 0; t < len; t++) {
                l[t] = -(1 + random.nextInt(256)) / 64f; // probabilities below 1: orpo's log odds exist
            }
            lp.add(l);
        }
        int chosenTokens = lengths[0] + lengths[2] + lengths[4];
        check("simpo", lp, () -> new DpoTokenLoss(simpo(2.5, 1.4, 0.1), new double[3], new double[3], 3,
                new DpoStats()));
        check("simpo + rpo", lp, () -> new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.SIMPO, 2, 0, false,
                0.5, 0.7, 0.1), new double[3], new double[3], 3, new DpoStats()));
        check("orpo", lp, () -> new DpoTokenLoss(orpo(0.25), new double[3], new double[3], 3, chosenTokens,
                new DpoStats()));
        check("kto", lp, () -> new KtoTokenLoss(new KtoTokenLoss.Settings(0.3, 1.0, 1.33),
                new boolean[] {true, false, false, true, true, false}, new double[] {-3, -2, -1, -4, -2.5, -3.5},
                0.15, 6, new KtoStats()));
    }

    private static void check(String what, List<float[]> lp, java.util.function.Supplier<TokenLoss> loss) {
        LossGradients g = loss.get().evaluate(scores(lp.toArray(new float[0][])));
        float h = 1f / 1024;
        for (int i = 0; i < lp.size(); i++) {
            for (int t = 0; t < lp.get(i).length; t++) {
                double fd = (perturbed(loss, lp, i, t, h) - perturbed(loss, lp, i, t, -h)) / (2 * h);
                assertEquals(fd, g.logprobGradients().get(i)[t], 2e-5, what + " seq " + i + " token " + t);
            }
        }
        assertFalse(g.logprobGradients().stream().allMatch(a -> a[0] == 0), what + ": all gradients zero");
    }

    private static double perturbed(java.util.function.Supplier<TokenLoss> loss, List<float[]> lp, int i, int t,
                                    float h) {
        List<float[]> copy = new ArrayList<>();
        for (float[] l : lp) {
            copy.add(l.clone());
        }
        copy.get(i)[t] += h;
        return loss.get().evaluate(scores(copy.toArray(new float[0][]))).loss();
    }
}
