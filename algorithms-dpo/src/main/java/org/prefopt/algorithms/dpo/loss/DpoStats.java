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
    private int oddsPairs;
    private double logOddsRatio;
    private double logOddsChosen;

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

    /** ORPO's terms: {@code logσ(log odds difference)} and the log odds difference. */
    void addOddsRatio(double logSigmoidOfOdds, double odds) {
        oddsPairs++;
        logOddsRatio += logSigmoidOfOdds;
        logOddsChosen += odds;
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
        if (oddsPairs > 0) {
            // TRL's ORPO names
            m.put("log_odds_ratio", logOddsRatio / oddsPairs);
            m.put("log_odds_chosen", logOddsChosen / oddsPairs);
        }
        return m;
    }
}
