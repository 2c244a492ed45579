package org.prefopt.algorithms.dpo.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DpoLossTypeTest {

    // β = 0.1, h = 2, so x = βh = 0.2. softplus(-0.2) = log(1 + e^-0.2) = 0.5981388693815918, σ(-0.2) = 0.4501660026875222

    @Test
    void sigmoid() {
        // -logσ(0.2) = softplus(-0.2); d/dh = -β σ(-0.2)
        assertEquals(0.5981388693815918, DpoLossType.SIGMOID.value(2, 0.1, 0), 1e-12);
        assertEquals(-0.04501660026875222, DpoLossType.SIGMOID.derivative(2, 0.1, 0), 1e-12);
        // ε = 0.1: 0.9·softplus(-x) + 0.1·softplus(x) = softplus(-x) + 0.1·x   (softplus(x) - softplus(-x) = x)
        assertEquals(0.5981388693815918 + 0.02, DpoLossType.SIGMOID.value(2, 0.1, 0.1), 1e-12);
        // d/dh = -0.9·β·σ(-x) + 0.1·β·σ(x) = -0.09·0.45016600 + 0.01·0.54983400
        assertEquals(-0.03501660026875222, DpoLossType.SIGMOID.derivative(2, 0.1, 0.1), 1e-12);
    }

    @Test
    void robust() {
        // ε = 0.1: (0.9·softplus(-x) - 0.1·softplus(x)) / 0.8 = (softplus(-x) - 0.1·(2·softplus(-x) + x)) / 0.8
        //        = (0.8·0.59813887 - 0.02) / 0.8 = 0.59813887 - 0.025
        assertEquals(0.5981388693815918 - 0.025, DpoLossType.ROBUST.value(2, 0.1, 0.1), 1e-12);
        // d/dh = (-0.9·β·σ(-x) - 0.1·β·σ(x)) / 0.8 = (-0.04051494 - 0.00549834) / 0.8
        assertEquals(-0.057516600268752216, DpoLossType.ROBUST.derivative(2, 0.1, 0.1), 1e-12);
        // without smoothing robust is plain DPO
        assertEquals(DpoLossType.SIGMOID.value(-3, 0.5, 0), DpoLossType.ROBUST.value(-3, 0.5, 0), 1e-15);
    }

    @Test
    void hinge() {
        // max(0, 1 - 0.2) = 0.8, slope -β; past the margin (βh = 2) the loss and gradient are 0
        assertEquals(0.8, DpoLossType.HINGE.value(2, 0.1, 0), 1e-12);
        assertEquals(-0.1, DpoLossType.HINGE.derivative(2, 0.1, 0), 1e-12);
        assertEquals(0.0, DpoLossType.HINGE.value(20, 0.1, 0), 1e-12);
        assertEquals(0.0, DpoLossType.HINGE.derivative(20, 0.1, 0), 1e-12);
    }

    @Test
    void ipo() {
        // (h - 1/(2β))² = (2 - 5)² = 9; d/dh = 2·(2 - 5) = -6
        assertEquals(9.0, DpoLossType.IPO.value(2, 0.1, 0), 1e-12);
        assertEquals(-6.0, DpoLossType.IPO.derivative(2, 0.1, 0), 1e-12);
    }

    @Test
    void derivativesMatchCentralDifferences() {
        double d = 1e-6;
        for (DpoLossType t : DpoLossType.values()) {
            if (!t.ofLogRatioDifference()) {
                continue; // simpo, orpo, kto: DpoFamilyLossTest
            }
            double ls = t.usesLabelSmoothing() ? 0.15 : 0;
            for (double h : new double[] {-30, -2.5, -0.3, 0.4, 3.7, 45}) {
                if (t == DpoLossType.HINGE && Math.abs(1 - 0.3 * h) < 1e-3) {
                    continue;
                }
                double fd = (t.value(h + d, 0.3, ls) - t.value(h - d, 0.3, ls)) / (2 * d);
                assertEquals(fd, t.derivative(h, 0.3, ls), 1e-6, t + " at h=" + h);
            }
        }
    }

    @Test
    void extremeMarginsStayFinite() {
        assertEquals(1000.0, DpoLossType.SIGMOID.value(-1000, 1, 0), 1e-9);
        assertEquals(0.0, DpoLossType.SIGMOID.value(1000, 1, 0), 1e-12);
        assertEquals(-1.0, DpoLossType.SIGMOID.derivative(-1000, 1, 0), 1e-12);
    }

    @Test
    void parsesOptionNames() {
        assertEquals(DpoLossType.IPO, DpoLossType.fromOption("ipo"));
        assertThrows(IllegalArgumentException.class, () -> DpoLossType.fromOption("cpo"));
        assertEquals(DpoLossType.KTO, DpoLossType.fromOption("kto"));
    }
}
