package org.prefopt.algorithms.grpo.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LossAggregationTest {

    // Three sequences with 2, 3 and 0 unmasked tokens (the third is masked), N = 3, L = 4.
    private static final int[] TOKENS = {2, 3, 0};

    @Test
    void weightsByHand() {
        // grpo: 1 / (N · T_i) = 1/6, 1/9; masked: 0
        assertArrayEquals(new double[] {1.0 / 6, 1.0 / 9, 0}, LossAggregation.GRPO.weights(TOKENS, 3, 4), 1e-15);
        // bnpo / dapo: 1 / Σ T = 1/5
        assertArrayEquals(new double[] {0.2, 0.2, 0}, LossAggregation.BNPO.weights(TOKENS, 3, 4), 1e-15);
        assertArrayEquals(new double[] {0.2, 0.2, 0}, LossAggregation.DAPO.weights(TOKENS, 3, 4), 1e-15);
        // dr-grpo: 1 / (N · L) = 1/12
        assertArrayEquals(new double[] {1.0 / 12, 1.0 / 12, 0}, LossAggregation.DR_GRPO.weights(TOKENS, 3, 4), 1e-15);
    }

    @Test
    void lossOfConstantTokenLossesByHand() {
        // With r = 1 each token's loss is -A. Sequence 1: A = 1 (2 tokens), sequence 2: A = -0.5 (3 tokens),
        // sequence 3 masked. Token sums: -2 and +1.5.
        //   grpo:    mean of per-sequence means over N = 3: (-1 + 0.5 + 0) / 3 = -1/6
        //   bnpo:    (-2 + 1.5) / 5 = -0.1
        //   dr-grpo: (-2 + 1.5) / 12 = -1/24
        double[] sums = {-2, 1.5, 0};
        assertEquals(-1.0 / 6, dot(LossAggregation.GRPO.weights(TOKENS, 3, 4), sums), 1e-15);
        assertEquals(-0.1, dot(LossAggregation.BNPO.weights(TOKENS, 3, 4), sums), 1e-15);
        assertEquals(-1.0 / 24, dot(LossAggregation.DR_GRPO.weights(TOKENS, 3, 4), sums), 1e-15);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
