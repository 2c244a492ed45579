package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProportionDifferenceTest {

    /**
     * Newcombe (1998), Statistics in Medicine 17:873, method 10 on his examples: 56/70 − 48/80 = 0.2000
     * [0.0524, 0.3339] and 9/10 − 3/10 = 0.6000 [0.1705, 0.8090].
     */
    @Test
    void matchesNewcombesPublishedExamples() {
        ProportionDifference d = ProportionDifference.of(Proportion.of(56, 70), Proportion.of(48, 80));
        assertEquals(0.2000, d.difference(), 1e-4);
        assertEquals(0.0524, d.low(), 1e-4);
        assertEquals(0.3339, d.high(), 1e-4);
        assertTrue(d.significant());
        ProportionDifference small = ProportionDifference.of(Proportion.of(9, 10), Proportion.of(3, 10));
        assertEquals(0.1705, small.low(), 1e-4);
        assertEquals(0.8090, small.high(), 1e-4);
    }

    @Test
    void isAntisymmetricAndStaysInsideMinusOneToOne() {
        ProportionDifference ab = ProportionDifference.of(Proportion.of(10, 10), Proportion.of(0, 10));
        ProportionDifference ba = ProportionDifference.of(Proportion.of(0, 10), Proportion.of(10, 10));
        assertEquals(1.0, ab.difference());
        assertEquals(-ab.low(), ba.high(), 1e-12);
        assertEquals(-ab.high(), ba.low(), 1e-12);
        assertTrue(ab.high() <= 1.0 && ab.low() > 0.5, ab.toString());
        ProportionDifference same = ProportionDifference.of(Proportion.of(5, 10), Proportion.of(5, 10));
        assertEquals(0.0, same.difference());
        assertFalse(same.significant());
    }
}
