package org.prefopt.algorithms.dpo.loss;

import java.util.Map;
import java.util.TreeMap;

/**
 * Per-completion statistics of a KTO step under TRL's KTO names (means over the step's desirable, resp.
 * undesirable completions), plus {@code rewards/accuracies}: the fraction of completions on their label's side of
 * the reference point (desirable: log-ratio above z; undesirable: below).
 */
public final class KtoStats {

    private int desirable;
    private int undesirable;
    private double chosenRewards;
    private double rejectedRewards;
    private double chosenLogps;
    private double rejectedLogps;
    private int correct;
    private double kl = Double.NaN;

    void add(boolean isDesirable, double reward, double logp, boolean aboveReferencePoint) {
        if (isDesirable) {
            desirable++;
            chosenRewards += reward;
            chosenLogps += logp;
        } else {
            undesirable++;
            rejectedRewards += reward;
            rejectedLogps += logp;
        }
        if (aboveReferencePoint == isDesirable) {
            correct++;
        }
    }

    /** The step's reference point z (TRL logs it as {@code kl}). */
    public void setKl(double kl) {
        this.kl = kl;
    }

    public Map<String, Double> metrics() {
        Map<String, Double> m = new TreeMap<>();
        if (!Double.isNaN(kl)) {
            m.put("kl", kl);
        }
        m.put("count/chosen", (double) desirable);
        m.put("count/rejected", (double) undesirable);
        if (desirable > 0) {
            m.put("rewards/chosen", chosenRewards / desirable);
            m.put("logps/chosen", chosenLogps / desirable);
        }
        if (undesirable > 0) {
            m.put("rewards/rejected", rejectedRewards / undesirable);
            m.put("logps/rejected", rejectedLogps / undesirable);
        }
        if (desirable > 0 && undesirable > 0) {
            m.put("rewards/margins", chosenRewards / desirable - rejectedRewards / undesirable);
        }
        if (desirable + undesirable > 0) {
            m.put("rewards/accuracies", (double) correct / (desirable + undesirable));
        }
        return m;
    }
}
