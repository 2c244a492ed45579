package org.prefopt.api.algorithm;

import java.util.Map;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.CompletionGroup;

/**
 * The completions of one prompt with their rewards.
 *
 * @param example  the prompt's example
 * @param group    the completions
 * @param totals   per completion, the weighted sum of the applicable rewards
 * @param byReward per reward name, per completion, the unweighted value (NaN where not applicable)
 */
public record ScoredGroup(Example example, CompletionGroup group, double[] totals, Map<String, double[]> byReward) {

    public ScoredGroup {
        byReward = Map.copyOf(byReward);
        if (totals.length != group.completions().size()) {
            throw new IllegalArgumentException("totals has " + totals.length + " values for "
                    + group.completions().size() + " completions");
        }
    }

    /** True when every completion got the same total reward (no learning signal for group-relative methods). */
    public boolean rewardsAllEqual() {
        for (double t : totals) {
            if (Double.compare(t, totals[0]) != 0) {
                return false;
            }
        }
        return true;
    }
}
