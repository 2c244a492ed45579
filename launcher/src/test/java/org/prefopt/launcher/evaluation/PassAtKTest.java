package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** pass@k = 1 - C(n-c, k) / C(n, k), values worked by hand. */
class PassAtKTest {

    @Test
    void handValues() {
        assertEquals(0.7, PassAtK.estimate(5, 2, 2), 1e-12);          // 1 - C(3,2)/C(5,2) = 1 - 3/10
        assertEquals(0.3, PassAtK.estimate(10, 3, 1), 1e-12);         // pass@1 is c/n
        assertEquals(1 - 10.0 / 120, PassAtK.estimate(10, 5, 3), 1e-12); // 1 - C(5,3)/C(10,3)
        assertEquals(1 - 56.0 / 120, PassAtK.estimate(10, 2, 3), 1e-12); // 1 - C(8,3)/C(10,3)
    }

    @Test
    void edges() {
        assertEquals(1.0, PassAtK.estimate(5, 4, 2), 0);   // fewer than k wrong samples: always passes
        assertEquals(0.0, PassAtK.estimate(4, 0, 3), 0);
        assertEquals(1.0, PassAtK.estimate(4, 1, 4), 0);   // k = n: any correct sample passes
    }

    @Test
    void rejectsKAboveN() {
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(3, 1, 4));
    }
}
