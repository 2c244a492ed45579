package org.prefopt.launcher.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the accuracy difference between two runs graded on the same problems. Each problem
 * contributes its own difference a − b (−1, 0 or +1), so the problem-to-problem spread in difficulty, which both runs
 * share, cancels; an unpaired interval would count it twice and come out wider.
 *
 * <p>The data are grid cells (one per seed, say), each holding the per-problem differences grouped in strata
 * (difficulty tiers, or a single stratum). One resample draws as many cells as there are, with replacement, and
 * then, in each drawn cell, as many problems of each stratum as that stratum has, with replacement (a two-stage
 * bootstrap over seeds and problems; with one cell it is the plain bootstrap over problems). Resampling within strata
 * keeps each tier's size, so per-tier estimates of one resample can be compared (a difference of two tiers' gains).
 * The interval is the percentile interval of {@link #RESAMPLES} resamples from a fixed seed, so the same data always
 * give the same interval.
 */
public final class PairedBootstrap {

    public static final int RESAMPLES = 10_000;
    /** Fixed so a comparison table is reproducible; any value would do. */
    public static final long SEED = 0x5EED_B007L;

    /** One grid cell: per stratum, each paired problem's a − b in {−1, 0, +1}. */
    public record Cell(Map<String, int[]> strata) {

        public Cell {
            Map<String, int[]> copy = new LinkedHashMap<>();
            strata.forEach((k, v) -> {
                for (int d : v) {
                    if (d < -1 || d > 1) {
                        throw new IllegalArgumentException("a paired difference is −1, 0 or +1 (got " + d + ")");
                    }
                }
                copy.put(k, v.clone());
            });
            strata = Collections.unmodifiableMap(copy);
        }

        /** A cell from two runs' outcomes on the same problems, in the given strata. */
        public static Cell of(Map<String, boolean[]> a, Map<String, boolean[]> b) {
            Map<String, int[]> out = new LinkedHashMap<>();
            a.forEach((k, av) -> {
                boolean[] bv = b.get(k);
                if (bv == null || bv.length != av.length) {
                    throw new IllegalArgumentException("stratum '" + k + "' is not paired");
                }
                int[] d = new int[av.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (av[i] ? 1 : 0) - (bv[i] ? 1 : 0);
                }
                out.put(k, d);
            });
            return new Cell(out);
        }
    }

    private final List<String> strata;
    /** observed sum of differences and problem count per stratum, over all cells */
    private final long[] sum;
    private final long[] count;
    /** the same per resample: [stratum][resample] */
    private final long[][] sums;
    private final long[][] counts;

    private PairedBootstrap(List<String> strata, long[] sum, long[] count, long[][] sums, long[][] counts) {
        this.strata = strata;
        this.sum = sum;
        this.count = count;
        this.sums = sums;
        this.counts = counts;
    }

    public static PairedBootstrap of(List<Cell> cells) {
        return of(cells, RESAMPLES, SEED);
    }

    public static PairedBootstrap of(List<Cell> cells, int resamples, long seed) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("a paired bootstrap needs at least one cell");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1 (got " + resamples + ")");
        }
        Set<String> names = new LinkedHashSet<>();
        cells.forEach(c -> names.addAll(c.strata().keySet()));
        List<String> strata = List.copyOf(names);
        int s = strata.size();
        int[][][] data = new int[cells.size()][s][];
        long[] sum = new long[s];
        long[] count = new long[s];
        for (int c = 0; c < cells.size(); c++) {
            for (int k = 0; k < s; k++) {
                int[] d = cells.get(c).strata().getOrDefault(strata.get(k), new int[0]);
                data[c][k] = d;
                count[k] += d.length;
                for (int v : d) {
                    sum[k] += v;
                }
            }
        }
        long[][] sums = new long[s][resamples];
        long[][] counts = new long[s][resamples];
        SplittableRandom random = new SplittableRandom(seed);
        int n = cells.size();
        for (int r = 0; r < resamples; r++) {
            for (int drawn = 0; drawn < n; drawn++) {
                // with one cell there is nothing to choose; not drawing keeps the problem draws the same either way
                int[][] cell = data[n == 1 ? 0 : random.nextInt(n)];
                for (int k = 0; k < s; k++) {
                    int[] d = cell[k];
                    long acc = 0;
                    for (int i = 0; i < d.length; i++) {
                        acc += d[random.nextInt(d.length)];
                    }
                    sums[k][r] += acc;
                    counts[k][r] += d.length;
                }
            }
        }
        return new PairedBootstrap(strata, sum, count, sums, counts);
    }

    /** The strata, in the order first seen. */
    public List<String> strata() {
        return strata;
    }

    /** The paired difference a − b over the problems of the given strata. */
    public PairedDifference difference(Collection<String> of) {
        int[] idx = indices(of);
        double estimate = mean(sum, count, idx);
        double[] resampled = new double[sums[0].length];
        for (int r = 0; r < resampled.length; r++) {
            resampled[r] = mean(sums, counts, idx, r);
        }
        return interval(estimate, resampled, total(idx));
    }

    /** The difference of two paired differences: the gain on {@code plus} minus the gain on {@code minus}. */
    public PairedDifference contrast(Collection<String> plus, Collection<String> minus) {
        int[] p = indices(plus);
        int[] m = indices(minus);
        double estimate = mean(sum, count, p) - mean(sum, count, m);
        double[] resampled = new double[sums[0].length];
        for (int r = 0; r < resampled.length; r++) {
            resampled[r] = mean(sums, counts, p, r) - mean(sums, counts, m, r);
        }
        return interval(estimate, resampled, total(p) + total(m));
    }

    /** The percentile interval; resamples without problems in a stratum (NaN) are left out. */
    private static PairedDifference interval(double estimate, double[] resampled, long problems) {
        double[] finite = Arrays.stream(resampled).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return new PairedDifference(estimate, Double.NaN, Double.NaN, problems);
        }
        return new PairedDifference(estimate, percentile(finite, 0.025), percentile(finite, 0.975), problems);
    }

    /** Linear interpolation between order statistics (the usual "type 7" definition). */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private int[] indices(Collection<String> of) {
        List<Integer> out = new ArrayList<>();
        for (String name : of) {
            int i = strata.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("no stratum '" + name + "' (there are " + strata + ")");
            }
            out.add(i);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no strata given");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private long total(int[] idx) {
        long n = 0;
        for (int i : idx) {
            n += count[i];
        }
        return n;
    }

    private static double mean(long[] sum, long[] count, int[] idx) {
        long s = 0;
        long n = 0;
        for (int i : idx) {
            s += sum[i];
            n += count[i];
        }
        return n == 0 ? Double.NaN : (double) s / n;
    }

    private static double mean(long[][] sums, long[][] counts, int[] idx, int r) {
        long s = 0;
        long n = 0;
        for (int i : idx) {
            s += sums[i][r];
            n += counts[i][r];
        }
        return n == 0 ? Double.NaN : (double) s / n;
    }
}
