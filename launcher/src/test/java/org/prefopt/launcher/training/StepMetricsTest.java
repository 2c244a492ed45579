package org.prefopt.launcher.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.launcher.rollout.ScoredCompletions;
import org.prefopt.launcher.training.fakes.Fixtures;

/** TRL's reward and length statistics on hand-worked groups. */
class StepMetricsTest {

    private static Completion completion(int length, StopReason reason) {
        return new Completion(new int[length], "", new float[length], reason);
    }

    private static ScoredGroup group(double[] totals, double[] answer, double[] format) {
        List<Completion> cs = new java.util.ArrayList<>();
        for (int i = 0; i < totals.length; i++) {
            cs.add(completion(1, StopReason.EOS));
        }
        Map<String, double[]> by = new LinkedHashMap<>();
        by.put("answer", answer);
        by.put("format", format);
        return new ScoredGroup(Fixtures.pool("q", 1).get(0), new CompletionGroup("r", new int[0], cs), totals, by);
    }

    @Test
    void rewardStatistics() {
        // group 1: totals 1, 0, 1, 0 → mean 0.5, unbiased std sqrt(1/3); group 2: all 1 → std 0
        ScoredGroup g1 = group(new double[] {1, 0, 1, 0}, new double[] {1, 0, 1, 0},
                new double[] {Double.NaN, Double.NaN, 1, 0});
        ScoredGroup g2 = group(new double[] {1, 1, 1, 1}, new double[] {1, 1, 1, 1},
                new double[] {1, 1, Double.NaN, 1});
        Map<String, Double> m = StepMetrics.rewards(List.of(g1, g2), List.of("answer", "format"));
        assertEquals(0.75, m.get("reward"), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3) / 2, m.get("reward_std"), 1e-12);
        assertEquals(0.5, m.get("frac_reward_zero_std"), 1e-12);
        assertEquals(0.75, m.get("rewards/answer/mean"), 1e-12);
        // answer over 8 values (6 ones): var = (6·0.0625 + 2·0.5625) / 7 = 1.5 / 7
        assertEquals(Math.sqrt(1.5 / 7), m.get("rewards/answer/std"), 1e-12);
        // format applies to 5 completions (4 ones, NaN left out): mean 0.8, var = (4·0.04 + 0.64) / 4 = 0.2
        assertEquals(0.8, m.get("rewards/format/mean"), 1e-12);
        assertEquals(Math.sqrt(0.2), m.get("rewards/format/std"), 1e-12);
    }

    @Test
    void lengthStatistics() {
        Map<String, Double> m = StepMetrics.lengths(List.of(completion(2, StopReason.EOS),
                completion(8, StopReason.LENGTH), completion(4, StopReason.STOP_STRING), completion(8, StopReason.LENGTH)));
        assertEquals(5.5, m.get("completions/mean_length"), 1e-12);
        assertEquals(2.0, m.get("completions/min_length"));
        assertEquals(8.0, m.get("completions/max_length"));
        assertEquals(0.5, m.get("completions/clipped_ratio"), 1e-12);
        assertEquals(3.0, m.get("completions/mean_terminated_length"), 1e-12);
        assertEquals(2.0, m.get("completions/min_terminated_length"));
        assertEquals(4.0, m.get("completions/max_terminated_length"));
    }

    @Test
    void nothingGeneratedGivesNoLengthMetrics() {
        assertEquals(Map.of(), StepMetrics.lengths(List.of()));
    }

    /** Timed-out checks are counted per reward, and only rewards that had one get the metric. */
    @Test
    void undecidedResultsAreCountedPerReward() {
        RewardResult decided = RewardResult.of(0.0, "4", "wrong");
        RewardResult undecided = RewardResult.undecided(0.0, "4", "undecided (scored 0): CAS timed out");
        ScoredCompletions a = new ScoredCompletions(new double[2], Map.of(), List.of(
                new RewardResult[] {undecided, decided}, new RewardResult[] {decided, decided}));
        ScoredCompletions b = new ScoredCompletions(new double[1], Map.of(), List.<RewardResult[]>of(
                new RewardResult[] {undecided, decided}));
        assertEquals(Map.of("rewards/math-answer/undecided", 2.0),
                StepMetrics.undecided(List.of(a, b), List.of("math-answer", "format")));
        assertEquals(Map.of(), StepMetrics.undecided(List.of(), List.of("math-answer")));
    }
}
