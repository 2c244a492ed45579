package org.prefopt.algorithms.dpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;

class DpoTokenLossTest {

    /*
     * Two pairs, β = 0.5, sigmoid:
     *   pair 1: chosen lp [-1, -2] (sum -3), ref -4;  rejected lp [-3] (sum -3), ref -2.5
     *   pair 2: chosen lp [-2] (sum -2),     ref -1;  rejected lp [-1, -1] (sum -2), ref -3
     * summed log-probs:
     *   h1 = (-3 + 4) - (-3 + 2.5) = 1.5,  h2 = (-2 + 1) - (-2 + 3) = -2
     *   L = (softplus(-0.75) + softplus(1)) / 2 = 0.8500663468165613
     *   dL/dh_k = -β σ(-β h_k) / 2:  dh1 = -0.08020532520615176, dh2 = -0.18276464465750122
     *   rewards: chosen β·[1, -1] -> mean 0; rejected β·[-0.5, 1] -> mean 0.125; margin -0.125
     *   accuracies: 0.5 > -0.25 yes, -0.5 > 0.5 no -> 0.5;  logps/chosen = (-3 - 2)/2, logps/rejected = (-3 - 2)/2
     * length-normalised (means; the reference sums are divided by the same token counts):
     *   pair 1: chosen -1.5 - (-2) = 0.5, rejected -3 - (-2.5) = -0.5 -> h1 = 1
     *   pair 2: chosen -2 - (-1) = -1,    rejected -1 - (-1.5) = 0.5 -> h2 = -1.5
     *   L = 0.8054739951475033, dh1 = -0.09438516719953635, dh2 = -0.16979467479384824,
     *   and each token's gradient is dh / (its sequence's length).
     */
    private static List<SequenceScores> scores() {
        return List.of(new SequenceScores(new float[] {-1, -2}, null), new SequenceScores(new float[] {-3}, null),
                new SequenceScores(new float[] {-2}, null), new SequenceScores(new float[] {-1, -1}, null));
    }

    private static final double[] REF_CHOSEN = {-4, -1};
    private static final double[] REF_REJECTED = {-2.5, -3};

    @Test
    void summedLogprobsByHand() {
        DpoStats stats = new DpoStats();
        LossGradients g = new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.SIGMOID, 0.5, 0, false, 0),
                REF_CHOSEN, REF_REJECTED, 2, stats).evaluate(scores());
        assertEquals(0.8500663468165613, g.loss(), 1e-9);
        double dh1 = -0.08020532520615176;
        double dh2 = -0.18276464465750122;
        assertEquals(dh1, g.logprobGradients().get(0)[0], 1e-7);
        assertEquals(dh1, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(-dh1, g.logprobGradients().get(1)[0], 1e-7);
        assertEquals(dh2, g.logprobGradients().get(2)[0], 1e-7);
        assertEquals(-dh2, g.logprobGradients().get(3)[1], 1e-7);
        Map<String, Double> m = stats.metrics();
        assertEquals(0.0, m.get("rewards/chosen"), 1e-12);
        assertEquals(0.125, m.get("rewards/rejected"), 1e-12);
        assertEquals(-0.125, m.get("rewards/margins"), 1e-12);
        assertEquals(0.5, m.get("rewards/accuracies"), 1e-12);
        assertEquals(-2.5, m.get("logps/chosen"), 1e-12);
        assertEquals(-2.5, m.get("logps/rejected"), 1e-12);
    }

    /** RPO adds the chosen completions' mean token NLL: (1.5 + 2) / 2 pairs = 1.75 at alpha 1. */
    @Test
    void rpoAddsTheChosenNegativeLogLikelihoodByHand() {
        DpoStats stats = new DpoStats();
        LossGradients g = new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.SIGMOID, 0.5, 0, false, 1.0),
                REF_CHOSEN, REF_REJECTED, 2, stats).evaluate(scores());
        assertEquals(0.8500663468165613 + 1.75, g.loss(), 1e-9);
        double dh1 = -0.08020532520615176;
        double dh2 = -0.18276464465750122;
        assertEquals(dh1 - 0.25, g.logprobGradients().get(0)[0], 1e-7);
        assertEquals(dh1 - 0.25, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(-dh1, g.logprobGradients().get(1)[0], 1e-7);
        assertEquals(dh2 - 0.5, g.logprobGradients().get(2)[0], 1e-7);
        assertEquals(-dh2, g.logprobGradients().get(3)[1], 1e-7);
        assertEquals(1.75, stats.metrics().get("nll_loss"), 1e-12);
    }

    @Test
    void lengthNormalisedByHand() {
        LossGradients g = new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.SIGMOID, 0.5, 0, true, 0),
                REF_CHOSEN, REF_REJECTED, 2, new DpoStats()).evaluate(scores());
        assertEquals(0.8054739951475033, g.loss(), 1e-9);
        assertEquals(-0.09438516719953635 / 2, g.logprobGradients().get(0)[1], 1e-7);
        assertEquals(0.09438516719953635, g.logprobGradients().get(1)[0], 1e-7);
        assertEquals(-0.16979467479384824, g.logprobGradients().get(2)[0], 1e-7);
        assertEquals(0.16979467479384824 / 2, g.logprobGradients().get(3)[0], 1e-7);
    }

    @Test
    void stepPairCountScalesTheMicroBatchLoss() {
        // the same two pairs counted as 2 of a step of 8 pairs contribute a quarter of their mean
        LossGradients g = new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.SIGMOID, 0.5, 0, false, 0),
                REF_CHOSEN, REF_REJECTED, 8, new DpoStats()).evaluate(scores());
        assertEquals(0.8500663468165613 / 4, g.loss(), 1e-9);
    }

    @Test
    void gradientsMatchCentralDifferencesForEveryLossType() {
        float h = 1f / 1024;
        for (DpoLossType type : DpoLossType.values()) {
            if (!type.paired() || type == DpoLossType.ORPO) {
                continue; // orpo needs the step's chosen tokens, kto is unpaired: DpoFamilyLossTest
            }
            for (boolean normalise : new boolean[] {false, true}) {
              for (double rpo : new double[] {0, 0.7}) {
                DpoTokenLoss.Settings s = new DpoTokenLoss.Settings(type, 0.5,
                        type.usesLabelSmoothing() ? 0.2 : 0, normalise, rpo);
                LossGradients g = new DpoTokenLoss(s, REF_CHOSEN, REF_REJECTED, 2, new DpoStats()).evaluate(scores());
                for (int i = 0; i < 4; i++) {
                    for (int t = 0; t < scores().get(i).logprobs().length; t++) {
                        double fd = (perturbed(s, i, t, h) - perturbed(s, i, t, -h)) / (2 * h);
                        assertEquals(fd, g.logprobGradients().get(i)[t], 1e-5,
                                type + " normalise=" + normalise + " rpo=" + rpo + " seq " + i + " token " + t);
                    }
                }
              }
            }
        }
    }

    private static double perturbed(DpoTokenLoss.Settings s, int i, int t, float h) {
        List<SequenceScores> xs = new ArrayList<>();
        for (SequenceScores sc : scores()) {
            xs.add(new SequenceScores(sc.logprobs().clone(), null));
        }
        xs.get(i).logprobs()[t] += h;
        return new DpoTokenLoss(s, REF_CHOSEN, REF_REJECTED, 2, new DpoStats()).evaluate(xs).loss();
    }

    @Test
    void nonFiniteInputsPoisonTheGradients() {
        List<SequenceScores> xs = new ArrayList<>(scores());
        xs.set(3, new SequenceScores(new float[] {Float.NEGATIVE_INFINITY, -1}, null));
        DpoTokenLoss loss = new DpoTokenLoss(new DpoTokenLoss.Settings(DpoLossType.IPO, 0.5, 0, true, 0),
                REF_CHOSEN, REF_REJECTED, 2, new DpoStats());
        LossGradients g = loss.evaluate(xs);
        assertTrue(loss.nonFinite());
        assertTrue(Float.isNaN(g.logprobGradients().get(0)[0]));
    }
}
