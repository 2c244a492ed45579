package org.prefopt.algorithms.grpo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdvantagesTest {

    // Group 1: [1, 0, 0, 1], group 2: [1, 1, 1, 1] (all agree).
    private static final List<double[]> REWARDS = List.of(new double[] {1, 0, 0, 1}, new double[] {1, 1, 1, 1});

    @Test
    void groupScaling() {
        // group 1: mean 0.5, Bessel std = sqrt((4 · 0.25) / 3) = sqrt(1/3); A = ±0.5 / (sqrt(1/3) + 1e-4)
        // group 2: mean 1, std 0 -> 0 / 1e-4 = 0
        double a = 0.5 / (Math.sqrt(1.0 / 3) + 1e-4);
        List<double[]> adv = Advantages.compute(REWARDS, ScaleRewards.GROUP);
        assertArrayEquals(new double[] {a, -a, -a, a}, adv.get(0), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0}, adv.get(1), 1e-12);
    }

    @Test
    void batchScaling() {
        // all 8 rewards: mean 0.75; squared deviations 2 · 0.5625 + 6 · 0.0625 = 1.5; std = sqrt(1.5 / 7)
        // group means are still per group: group 1 centred at 0.5, group 2 at 1
        double a = 0.5 / (Math.sqrt(1.5 / 7) + 1e-4);
        List<double[]> adv = Advantages.compute(REWARDS, ScaleRewards.BATCH);
        assertArrayEquals(new double[] {a, -a, -a, a}, adv.get(0), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0}, adv.get(1), 1e-12);
    }

    @Test
    void noScaling() {
        List<double[]> adv = Advantages.compute(List.of(new double[] {2, 0, 1}), ScaleRewards.NONE);
        // mean 1: [1, -1, 0]
        assertArrayEquals(new double[] {1, -1, 0}, adv.get(0), 1e-15);
    }

}
