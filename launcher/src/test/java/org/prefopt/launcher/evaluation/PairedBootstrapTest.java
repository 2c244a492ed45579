package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    private static final List<String> ALL = List.of("all");

    /** One cell, one stratum: {@code plus} problems +1, {@code minus} problems −1, {@code ties} problems 0. */
    static PairedBootstrap.Cell cell(int plus, int minus, int ties) {
        int[] d = new int[plus + minus + ties];
        for (int i = 0; i < plus; i++) {
            d[i] = 1;
        }
        for (int i = plus; i < plus + minus; i++) {
            d[i] = -1;
        }
        return new PairedBootstrap.Cell(Map.of("all", d));
    }

    @Test
    void identicalRunsGiveExactlyZero() {
        boolean[] same = {true, false, true, true, false};
        PairedDifference d = PairedBootstrap.of(List.of(PairedBootstrap.Cell.of(Map.of("all", same),
                Map.of("all", same.clone())))).difference(ALL);
        assertEquals(new PairedDifference(0, 0, 0, 5), d);
    }

    @Test
    void allDiscordantOneWayIsCertain() {
        // every problem solved by a and missed by b: every resample gives +1
        PairedDifference d = PairedBootstrap.of(List.of(cell(40, 0, 0))).difference(ALL);
        assertEquals(new PairedDifference(1, 1, 1, 40), d);
    }

    @Test
    void allDiscordantBothWaysMatchesTheBinomialQuantiles() {
        // 50 problems each way: a resample's difference is (2K − 100) / 100 with K ~ Binomial(100, 1/2), whose 2.5%
        // and 97.5% quantiles are 40 and 60, so the interval is [−0.2, +0.2] up to resampling noise
        PairedDifference d = PairedBootstrap.of(List.of(cell(50, 50, 0))).difference(ALL);
        assertEquals(0, d.difference(), 1e-12);
        assertEquals(-0.2, d.low(), 0.021);
        assertEquals(0.2, d.high(), 0.021);
    }

    @Test
    void matchesTheExactDistributionOfTheResampledMcNemarCounts() {
        // b = 12 problems only a solved, c = 4 only b solved, 44 ties. A resample's difference is (B − C) / n with
        // (B, C, rest) ~ Multinomial(n; b/n, c/n, rest/n); its exact quantiles bound what the bootstrap may give
        int b = 12;
        int c = 4;
        int n = 60;
        PairedDifference d = PairedBootstrap.of(List.of(cell(b, c, n - b - c))).difference(ALL);
        assertEquals((double) (b - c) / n, d.difference(), 1e-12);
        double[] exact = exactQuantiles(b, c, n, 0.025, 0.975);
        assertEquals(exact[0], d.low(), 1.0 / n + 1e-9, "2.5% quantile");
        assertEquals(exact[1], d.high(), 1.0 / n + 1e-9, "97.5% quantile");
        // and it agrees with McNemar's large-sample paired interval, d ± z·sqrt(b + c − (b − c)²/n) / n
        double half = WilsonInterval.Z95 * Math.sqrt(b + c - (double) (b - c) * (b - c) / n) / n;
        assertEquals(d.difference() - half, d.low(), 0.03);
        assertEquals(d.difference() + half, d.high(), 0.03);
    }

    /** Quantiles of (B − C)/n under the multinomial, by enumerating every (B, C). */
    private static double[] exactQuantiles(int b, int c, int n, double lowP, double highP) {
        double pb = (double) b / n;
        double pc = (double) c / n;
        double[] mass = new double[2 * n + 1];
        for (int x = 0; x <= n; x++) {
            for (int y = 0; x + y <= n; y++) {
                double logP = logFactorial(n) - logFactorial(x) - logFactorial(y) - logFactorial(n - x - y)
                        + x * Math.log(pb) + y * Math.log(pc) + (n - x - y) * Math.log(1 - pb - pc);
                mass[x - y + n] += Math.exp(logP);
            }
        }
        double[] out = new double[2];
        double cum = 0;
        boolean lowSet = false;
        for (int k = 0; k < mass.length; k++) {
            cum += mass[k];
            if (!lowSet && cum >= lowP) {
                out[0] = (double) (k - n) / n;
                lowSet = true;
            }
            if (cum >= highP) {
                out[1] = (double) (k - n) / n;
                break;
            }
        }
        return out;
    }

    private static double logFactorial(int k) {
        double s = 0;
        for (int i = 2; i <= k; i++) {
            s += Math.log(i);
        }
        return s;
    }

    @Test
    void poolingResamplesGridCellsThenProblems() {
        // one seed gains on every problem, the other on none: pooled +0.5, and a resample draws both cells from
        // the first seed (1), one of each (0.5) or both from the second (0) with probability 1/4, 1/2, 1/4
        PairedBootstrap b = PairedBootstrap.of(List.of(cell(10, 0, 0), cell(0, 0, 10)));
        PairedDifference d = b.difference(ALL);
        assertEquals(new PairedDifference(0.5, 0, 1, 20), d);
    }

    @Test
    void contrastsOfStrataComeFromTheSameResamples() {
        int[] gainAll = {1, 1, 1, 1};
        int[] gainNone = {0, 0, 0};
        int[] mixed = {1, 0, -1, 0, 1};
        PairedBootstrap b = PairedBootstrap.of(List.of(new PairedBootstrap.Cell(
                Map.of("1", gainAll, "2", mixed, "3", gainNone))));
        assertEquals(new PairedDifference(1, 1, 1, 7), b.contrast(List.of("1"), List.of("3")));
        assertEquals(new PairedDifference(0, 0, 0, 3), b.difference(List.of("3")));
        PairedDifference pooled = b.difference(List.of("2", "3"));
        assertEquals(0.125, pooled.difference(), 1e-12);
        assertEquals(8, pooled.problems());
    }

    @Test
    void theSameDataGiveTheSameInterval() {
        List<PairedBootstrap.Cell> cells = List.of(cell(7, 3, 20), cell(5, 5, 20));
        assertEquals(PairedBootstrap.of(cells).difference(ALL), PairedBootstrap.of(cells).difference(ALL));
    }

    @Test
    void refusesWhatIsNotAPairedDifference() {
        assertThrows(IllegalArgumentException.class, () -> new PairedBootstrap.Cell(Map.of("all", new int[] {2})));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.of(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.of(List.of(cell(1, 0, 0))).difference(List.of("3")));
        assertEquals("no stratum '3' (there are [all])", e.getMessage());
    }
}
