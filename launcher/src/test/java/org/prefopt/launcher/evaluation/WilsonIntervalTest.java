package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Reference values worked by hand from the Wilson formula
 * (center = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n), z = 1.959964)
 * and matching published tables (e.g. 8/10 → 0.4902..0.9433).
 */
class WilsonIntervalTest {

    @Test
    void eightOfTen() {
        assertArrayEquals(new double[] {0.49016, 0.94332}, WilsonInterval.of95(8, 10), 1e-4);
    }

    @Test
    void twoOfThree() {
        // p = 2/3, z² = 3.841459: denom 2.280486, center 0.573083, half 0.365425
        assertArrayEquals(new double[] {0.20766, 0.93851}, WilsonInterval.of95(2, 3), 1e-4);
    }

    @Test
    void noneAndAll() {
        // x = 0: center = half = (z²/2n)/(1+z²/n) = 0.192073/1.384146 → upper 2·0.138766 = 0.277533
        assertArrayEquals(new double[] {0.0, 0.27753}, WilsonInterval.of95(0, 10), 1e-4);
        assertArrayEquals(new double[] {0.72247, 1.0}, WilsonInterval.of95(10, 10), 1e-4);
    }

    @Test
    void emptyIsUninformative() {
        assertArrayEquals(new double[] {0.0, 1.0}, WilsonInterval.of95(0, 0), 0);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(11, 10));
    }
}
