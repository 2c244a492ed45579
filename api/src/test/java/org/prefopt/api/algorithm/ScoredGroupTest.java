package org.prefopt.api.algorithm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one "rewards agree" rule (frac_reward_zero_std, GRPO's group filter); cases moved from AdvantagesTest. */
class ScoredGroupTest {

    @Test
    void rewardsAgreeUpToRoundingOfWeightedSums() {
        assertTrue(ScoredGroup.rewardsAgree(new double[] {1.1, 1.1, 1.1}));
        assertTrue(ScoredGroup.rewardsAgree(new double[] {0.1 + 0.2, 0.3, 0.3})); // rounding of weighted sums
        assertFalse(ScoredGroup.rewardsAgree(new double[] {1, 1, 0.9}));
        assertFalse(ScoredGroup.rewardsAgree(new double[] {0, 1e-6}));
    }
}
