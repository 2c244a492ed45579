package org.prefopt.launcher.rollout;

import java.util.List;
import java.util.Map;
import org.prefopt.api.reward.RewardResult;

/**
 * The rewards of the completions of one prompt.
 *
 * @param totals   per completion, the weighted sum of the applicable rewards (0 when none applies)
 * @param byReward per reward name (run-file order), per completion, the unweighted value, NaN where not applicable
 * @param results  per completion, per reward (run-file order), the full verdict (extracted answer, note)
 */
public record ScoredCompletions(double[] totals, Map<String, double[]> byReward, List<RewardResult[]> results) {
}
