package org.prefopt.algorithms.grpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KlEstimatorTest {

    private static final double E = Math.E;

    @Test
    void valuesAgainstHandWorkedNumbers() {
        // lp = -1, ref = -2, so d = ref - lp = -1:
        //   k1 = lp - ref = 1;  k2 = d²/2 = 0.5;  k3 = e^d - d - 1 = e^-1 + 1 - 1 = e^-1
        assertEquals(1.0, KlEstimator.K1.value(-1, -2), 1e-12);
        assertEquals(0.5, KlEstimator.K2.value(-1, -2), 1e-12);
        assertEquals(1 / E, KlEstimator.K3.value(-1, -2), 1e-12);
        // lp = -2, ref = -1, d = 1:  k1 = -1;  k2 = 0.5;  k3 = e - 1 - 1 = e - 2
        assertEquals(-1.0, KlEstimator.K1.value(-2, -1), 1e-12);
        assertEquals(0.5, KlEstimator.K2.value(-2, -1), 1e-12);
        assertEquals(E - 2, KlEstimator.K3.value(-2, -1), 1e-12);
        // identical distributions: every estimator is 0
        for (KlEstimator k : KlEstimator.values()) {
            assertEquals(0.0, k.value(-0.7, -0.7), 1e-15);
        }
    }

    @Test
    void gradientsAgainstHandWorkedNumbers() {
        // d/dlp: k1 -> 1;  k2 = (ref-lp)²/2 -> -(ref-lp) = lp - ref;  k3 -> -e^d + 1
        assertEquals(1.0, KlEstimator.K1.gradient(-1, -2), 1e-12);
        assertEquals(1.0, KlEstimator.K2.gradient(-1, -2), 1e-12);
        assertEquals(1 - 1 / E, KlEstimator.K3.gradient(-1, -2), 1e-12);
        assertEquals(-1.0, KlEstimator.K2.gradient(-2, -1), 1e-12);
        assertEquals(1 - E, KlEstimator.K3.gradient(-2, -1), 1e-12);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        double h = 1e-5;
        for (KlEstimator k : KlEstimator.values()) {
            for (double lp : new double[] {-3.1, -1.0, -0.2}) {
                for (double ref : new double[] {-2.5, -0.9, -0.05}) {
                    double fd = (k.value(lp + h, ref) - k.value(lp - h, ref)) / (2 * h);
                    assertEquals(fd, k.gradient(lp, ref), 1e-6, k + " at lp=" + lp + " ref=" + ref);
                }
            }
        }
    }

    @Test
    void parsesOptionNames() {
        assertEquals(KlEstimator.K2, KlEstimator.fromOption("k2"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KlEstimator.fromOption("k4"));
    }
}
