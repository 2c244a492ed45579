package org.prefopt.api.algorithm;

import java.util.Collections;
import java.util.LinkedHashMap;
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
        byReward = Collections.unmodifiableMap(new LinkedHashMap<>(byReward));
        if (totals.length != group.completions().size()) {
            throw new IllegalArgumentException("totals has " + totals.length + " values for "
                    + group.completions().size() + " completions");
        }
    }

    /**
     * Whether the group's total rewards all agree, i.e. it carries no group-relative signal (TRL's
     * {@code frac_reward_zero_std} counts these). A relative tolerance absorbs rounding in weighted sums. The one
     * rule for "zero reward spread": the loop's metric and the algorithms' group filters both use it.
     */
    public boolean rewardsAgree() {
        return rewardsAgree(totals);
    }

    /** {@link #rewardsAgree()} for a bare array of totals. */
    public static boolean rewardsAgree(double[] totals) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double r : totals) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max - min <= 1e-9 * Math.max(1.0, Math.abs(max));
    }
}
