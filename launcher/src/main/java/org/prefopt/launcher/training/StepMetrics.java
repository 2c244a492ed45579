package org.prefopt.launcher.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.model.Completion;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.launcher.rollout.ScoredCompletions;
import org.prefopt.launcher.rollout.Stats;

/**
 * The metrics the loop records for a step, under TRL's GRPO trainer names: {@code reward} (mean of group means),
 * {@code reward_std} (mean of the per-group standard deviations), {@code frac_reward_zero_std},
 * {@code rewards/<name>/mean|std} (over all completions where the reward applies), and completion lengths.
 */
final class StepMetrics {

    /** 1 when the step's update was discarded for a non-finite loss, gradient or metric, else 0. */
    static final String NON_FINITE = "nonfinite";
    /** The fraction of the step's rewarded groups whose rewards all agree ({@link ScoredGroup#rewardsAgree()}). */
    static final String FRAC_REWARD_ZERO_STD = "frac_reward_zero_std";

    private StepMetrics() {
    }

    static Map<String, Double> rewards(List<ScoredGroup> groups, List<String> rewardNames) {
        Map<String, Double> m = new TreeMap<>();
        if (groups.isEmpty()) {
            return m;
        }
        double meanSum = 0;
        double stdSum = 0;
        int zeroStd = 0;
        for (ScoredGroup g : groups) {
            meanSum += Stats.nanMean(g.totals());
            stdSum += Stats.nanStd(g.totals());
            if (g.rewardsAgree()) {
                zeroStd++;
            }
        }
        m.put("reward", meanSum / groups.size());
        m.put("reward_std", stdSum / groups.size());
        m.put(FRAC_REWARD_ZERO_STD, (double) zeroStd / groups.size());
        for (String name : rewardNames) {
            List<Double> all = new ArrayList<>();
            for (ScoredGroup g : groups) {
                double[] v = g.byReward().get(name);
                if (v != null) {
                    for (double x : v) {
                        all.add(x);
                    }
                }
            }
            double[] arr = all.stream().mapToDouble(Double::doubleValue).toArray();
            m.put("rewards/" + name + "/mean", Stats.nanMean(arr));
            m.put("rewards/" + name + "/std", Stats.nanStd(arr));
        }
        return m;
    }

    /**
     * {@code rewards/<name>/undecided}: how many of the step's completions a reward scored without a verdict (a
     * check that ran out of time), so that timeouts on a loaded machine show instead of passing for wrong answers.
     * Logged only for rewards that had any.
     */
    static Map<String, Double> undecided(List<ScoredCompletions> results, List<String> rewardNames) {
        Map<String, Double> m = new TreeMap<>();
        for (ScoredCompletions s : results) {
            for (RewardResult[] perReward : s.results()) {
                for (int k = 0; k < perReward.length; k++) {
                    if (perReward[k].undecided()) {
                        m.merge("rewards/" + rewardNames.get(k) + "/undecided", 1.0, Double::sum);
                    }
                }
            }
        }
        return m;
    }

    static Map<String, Double> lengths(List<Completion> completions) {
        Map<String, Double> m = new TreeMap<>();
        if (completions.isEmpty()) {
            return m;
        }
        long sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        int clipped = 0;
        long termSum = 0;
        int termMin = Integer.MAX_VALUE;
        int termMax = 0;
        for (Completion c : completions) {
            int len = c.length();
            sum += len;
            min = Math.min(min, len);
            max = Math.max(max, len);
            if (c.truncated()) {
                clipped++;
            } else {
                termSum += len;
                termMin = Math.min(termMin, len);
                termMax = Math.max(termMax, len);
            }
        }
        int n = completions.size();
        int terminated = n - clipped;
        m.put("completions/mean_length", (double) sum / n);
        m.put("completions/min_length", (double) min);
        m.put("completions/max_length", (double) max);
        m.put("completions/clipped_ratio", (double) clipped / n);
        // TRL logs 0 for the terminated statistics when every completion was clipped.
        m.put("completions/mean_terminated_length", terminated == 0 ? 0.0 : (double) termSum / terminated);
        m.put("completions/min_terminated_length", terminated == 0 ? 0.0 : (double) termMin);
        m.put("completions/max_terminated_length", terminated == 0 ? 0.0 : (double) termMax);
        return m;
    }
}
