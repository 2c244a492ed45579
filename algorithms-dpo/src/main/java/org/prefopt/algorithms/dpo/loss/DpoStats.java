package org.prefopt.algorithms.dpo.loss;

import java.util.Map;
import java.util.TreeMap;

/** Per-pair statistics of a step, reported under TRL's DPO metric names (means over the step's pairs). */
public final class DpoStats {

    private int pairs;
    private double chosenRewards;
    private double rejectedRewards;
    private int accurate;
    private double chosenLogps;
    private double rejectedLogps;
    private double chosenNll;

    void add(double chosenReward, double rejectedReward, double chosenLogp, double rejectedLogp, double chosenNll) {
        pairs++;
        chosenRewards += chosenReward;
        rejectedRewards += rejectedReward;
        if (chosenReward > rejectedReward) {
            accurate++;
        }
        chosenLogps += chosenLogp;
        rejectedLogps += rejectedLogp;
        this.chosenNll += chosenNll;
    }

    public int pairs() {
        return pairs;
    }

    public Map<String, Double> metrics() {
        Map<String, Double> m = new TreeMap<>();
        if (pairs == 0) {
            return m;
        }
        m.put("rewards/chosen", chosenRewards / pairs);
        m.put("rewards/rejected", rejectedRewards / pairs);
        m.put("rewards/margins", (chosenRewards - rejectedRewards) / pairs);
        m.put("rewards/accuracies", (double) accurate / pairs);
        m.put("logps/chosen", chosenLogps / pairs);
        m.put("logps/rejected", rejectedLogps / pairs);
        m.put("nll_loss", chosenNll / pairs);
        return m;
    }
}
