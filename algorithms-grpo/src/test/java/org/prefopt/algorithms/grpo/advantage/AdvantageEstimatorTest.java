package org.prefopt.algorithms.grpo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RLOO and REINFORCE++-baseline advantages against hand-worked values and closed forms. */
class AdvantageEstimatorTest {

    @Test
    void rlooSubtractsTheMeanOfTheOtherCompletions() {
        // [1, 0, 0, 1]: sum 2; A = r - (2 - r)/3: r = 1 -> 1 - 1/3 = 2/3, r = 0 -> -2/3
        // [3, 0, 0]:    sum 3; A = r - (3 - r)/2: 3 - 0 = 3, 0 - 3/2 = -1.5 (= G/(G-1) (r - mean) = 1.5 (r - 1))
        // [1, 1]:       all agree: 0
        List<double[]> adv = Advantages.compute(List.of(new double[] {1, 0, 0, 1}, new double[] {3, 0, 0},
                new double[] {1, 1}), null, AdvantageEstimator.RLOO, ScaleRewards.GROUP);
        assertArrayEquals(new double[] {2.0 / 3, -2.0 / 3, -2.0 / 3, 2.0 / 3}, adv.get(0), 1e-12);
        assertArrayEquals(new double[] {3, -1.5, -1.5}, adv.get(1), 1e-12);
        assertArrayEquals(new double[] {0, 0}, adv.get(2), 1e-12);
    }

    @Test
    void rlooWithGroupSizeTwoIsTheRewardDifference() {
        // closed form for G = 2: the other completion is the whole baseline, A_1 = R_1 - R_2, A_2 = R_2 - R_1
        Random random = new Random(11);
        for (int k = 0; k < 20; k++) {
            double r1 = random.nextGaussian();
            double r2 = random.nextGaussian();
            double[] a = Advantages.compute(List.of(new double[] {r1, r2}), null, AdvantageEstimator.RLOO,
                    ScaleRewards.NONE).get(0);
            assertArrayEquals(new double[] {r1 - r2, r2 - r1}, a, 1e-12);
        }
    }

    @Test
    void rlooIsTheDrGrpoAdvantageTimesGOverGMinusOne() {
        double[] rewards = {0.2, 1.7, -0.4, 0.9, 0.0};
        double[] rloo = Advantages.compute(List.of(rewards), null, AdvantageEstimator.RLOO, ScaleRewards.GROUP)
                .get(0);
        double[] centred = Advantages.compute(List.of(rewards), ScaleRewards.NONE).get(0);
        for (int j = 0; j < rewards.length; j++) {
            assertEquals(5.0 / 4 * centred[j], rloo[j], 1e-12);
        }
    }

    /**
     * Groups [1, 0] with 2 and 1 loss tokens, [2, 0, 1] with 1, 1 and 0 (masked) tokens.
     * <pre>
     * centred on the group means: [0.5, -0.5], [1, -1, 0]
     * token-weighted mean over 5 tokens: (2·0.5 - 0.5 + 1 - 1 + 0·0) / 5 = 0.1
     * deviations 0.4 (×2 tokens), -0.6, 0.9, -1.1, (-0.1 ×0 tokens)
     * Bessel variance: (2·0.16 + 0.36 + 0.81 + 1.21) / (5 - 1) = 2.70 / 4 = 0.675
     * A = (centred - 0.1) / sqrt(0.675 + 1e-8)
     * </pre>
     */
    @Test
    void reinforcePlusPlusWhitensTheCentredRewardsOverTheStepsTokens() {
        List<double[]> adv = Advantages.compute(List.of(new double[] {1, 0}, new double[] {2, 0, 1}),
                List.of(new int[] {2, 1}, new int[] {1, 1, 0}), AdvantageEstimator.REINFORCE_PLUS_PLUS,
                ScaleRewards.GROUP);
        double k = 1 / Math.sqrt(0.675 + 1e-8);
        assertArrayEquals(new double[] {0.4 * k, -0.6 * k}, adv.get(0), 1e-12);
        assertArrayEquals(new double[] {0.9 * k, -1.1 * k, -0.1 * k}, adv.get(1), 1e-12);
    }

    @Test
    void reinforcePlusPlusAdvantagesHaveZeroMeanAndUnitVarianceOverTokens() {
        List<double[]> rewards = List.of(new double[] {1, 0, 1, 1}, new double[] {0.3, 0.1, 0.9, 0.2});
        List<int[]> tokens = List.of(new int[] {3, 9, 4, 1}, new int[] {2, 2, 7, 5});
        List<double[]> adv = Advantages.compute(rewards, tokens, AdvantageEstimator.REINFORCE_PLUS_PLUS,
                ScaleRewards.NONE);
        double n = 0;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                n += tokens.get(i)[j];
                sum += tokens.get(i)[j] * adv.get(i)[j];
                sq += tokens.get(i)[j] * adv.get(i)[j] * adv.get(i)[j];
            }
        }
        assertEquals(0.0, sum / n, 1e-12);
        assertEquals(1.0, sq / (n - 1), 1e-6);
    }

    @Test
    void reinforcePlusPlusNeedsTokenCounts() {
        assertThrows(IllegalArgumentException.class, () -> Advantages.compute(List.<double[]>of(new double[] {1, 0}),
                null, AdvantageEstimator.REINFORCE_PLUS_PLUS, ScaleRewards.GROUP));
    }
}
