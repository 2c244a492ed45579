package org.prefopt.algorithms.grpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClippedObjectiveTest {

    private static final double OLD = -1.0;
    private static final double EPS = 0.2;

    /** lp such that r = exp(lp - OLD) equals {@code ratio}. */
    private static double lpFor(double ratio) {
        return OLD + Math.log(ratio);
    }

    @Test
    void handWorkedCases() {
        // r = 1.5, A = +1: min(1.5, clip(1.5)=1.2) = 1.2 -> loss -1.2; clipped branch active -> gradient 0
        assertEquals(-1.2, ClippedObjective.loss(lpFor(1.5), OLD, 1, EPS, EPS), 1e-12);
        assertEquals(0.0, ClippedObjective.gradient(lpFor(1.5), OLD, 1, EPS, EPS), 1e-12);
        // r = 1.5, A = -1: min(-1.5, -1.2) = -1.5 -> loss 1.5; unclipped branch -> dl/dlp = -A·r = 1.5
        assertEquals(1.5, ClippedObjective.loss(lpFor(1.5), OLD, -1, EPS, EPS), 1e-12);
        assertEquals(1.5, ClippedObjective.gradient(lpFor(1.5), OLD, -1, EPS, EPS), 1e-12);
        // r = 0.5, A = +1: min(0.5, 0.8) = 0.5 -> loss -0.5, gradient -0.5
        assertEquals(-0.5, ClippedObjective.loss(lpFor(0.5), OLD, 1, EPS, EPS), 1e-12);
        assertEquals(-0.5, ClippedObjective.gradient(lpFor(0.5), OLD, 1, EPS, EPS), 1e-12);
        // r = 0.5, A = -1: min(-0.5, -0.8) = -0.8 -> loss 0.8, clipped -> gradient 0
        assertEquals(0.8, ClippedObjective.loss(lpFor(0.5), OLD, -1, EPS, EPS), 1e-12);
        assertEquals(0.0, ClippedObjective.gradient(lpFor(0.5), OLD, -1, EPS, EPS), 1e-12);
        // r = 1 (first iteration), A = 2: loss -2, gradient -A = -2
        assertEquals(-2.0, ClippedObjective.loss(OLD, OLD, 2, EPS, EPS), 1e-12);
        assertEquals(-2.0, ClippedObjective.gradient(OLD, OLD, 2, EPS, EPS), 1e-12);
        // asymmetric bounds (DAPO clip-higher): r = 1.25 is inside [0.8, 1.28]: loss -1.25, gradient -1.25
        assertEquals(-1.25, ClippedObjective.loss(lpFor(1.25), OLD, 1, 0.2, 0.28), 1e-12);
        assertEquals(-1.25, ClippedObjective.gradient(lpFor(1.25), OLD, 1, 0.2, 0.28), 1e-12);
    }

    @Test
    void gradientMatchesCentralDifferencesAwayFromKinks() {
        double h = 1e-6;
        for (double ratio : new double[] {0.3, 0.7, 0.95, 1.0, 1.1, 1.4, 2.5}) {
            for (double a : new double[] {-1.3, -0.2, 0.4, 2.0}) {
                double lp = lpFor(ratio);
                double fd = (ClippedObjective.loss(lp + h, OLD, a, EPS, 0.28)
                        - ClippedObjective.loss(lp - h, OLD, a, EPS, 0.28)) / (2 * h);
                assertEquals(fd, ClippedObjective.gradient(lp, OLD, a, EPS, 0.28), 1e-6,
                        "r=" + ratio + " A=" + a);
            }
        }
    }

    @Test
    void clipFlagsFollowTrl() {
        assertTrue(ClippedObjective.lowClipped(0.7, -1, EPS));
        assertFalse(ClippedObjective.lowClipped(0.7, 1, EPS));
        assertTrue(ClippedObjective.highClipped(1.3, 1, EPS));
        assertFalse(ClippedObjective.highClipped(1.3, -1, EPS));
        assertFalse(ClippedObjective.highClipped(1.1, 1, EPS));
    }
}
