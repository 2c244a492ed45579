package org.prefopt.datasets.filter;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;

/**
 * Keeps examples whose difficulty lies in {@code [min, max]} (0 = no bound) and between the difficulties at the
 * {@code min-quantile} and {@code max-quantile} of the list (nearest-rank quantiles over the examples with a known
 * difficulty). Quantile bounds are values, not ranks: a tier is never split, so "the easiest 45%" keeps every
 * example of the tier the 45% point falls in. Examples of unknown difficulty are dropped whenever any bound is set,
 * unless {@code keep-unknown} is on.
 */
public final class DifficultyFilter implements DatasetFilter {

    private final int min;
    private final int max;
    private final double minQuantile;
    private final double maxQuantile;
    private final boolean keepUnknown;
    private String resolved = "";

    public DifficultyFilter(int min, int max, double minQuantile, double maxQuantile, boolean keepUnknown) {
        if (min < 0 || max < 0 || (max > 0 && min > max)) {
            throw new IllegalArgumentException("difficulty bounds must satisfy 0 <= min <= max (0 = none); got min="
                    + min + ", max=" + max);
        }
        if (!(minQuantile >= 0 && maxQuantile <= 1 && minQuantile <= maxQuantile)) {
            throw new IllegalArgumentException("quantiles must satisfy 0 <= min-quantile <= max-quantile <= 1; got "
                    + minQuantile + ".." + maxQuantile);
        }
        this.min = min;
        this.max = max;
        this.minQuantile = minQuantile;
        this.maxQuantile = maxQuantile;
        this.keepUnknown = keepUnknown;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("difficulty[");
        sb.append(min > 0 ? Integer.toString(min) : "").append("..").append(max > 0 ? Integer.toString(max) : "");
        if (minQuantile > 0 || maxQuantile < 1) {
            sb.append(", q").append(minQuantile).append("..q").append(maxQuantile).append(resolved);
        }
        return sb.append(']').toString();
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        int lo = min > 0 ? min : Integer.MIN_VALUE;
        int hi = max > 0 ? max : Integer.MAX_VALUE;
        if (minQuantile > 0 || maxQuantile < 1) {
            int[] known = examples.stream().filter(Example::hasDifficulty).mapToInt(Example::difficulty)
                    .sorted().toArray();
            if (known.length > 0) {
                int qlo = nearestRank(known, minQuantile);
                int qhi = nearestRank(known, maxQuantile);
                resolved = " = " + qlo + ".." + qhi;
                lo = Math.max(lo, qlo);
                hi = Math.min(hi, qhi);
            }
        }
        boolean bounded = lo != Integer.MIN_VALUE || hi != Integer.MAX_VALUE;
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            if (!e.hasDifficulty()) {
                if (keepUnknown || !bounded) {
                    out.add(e);
                }
            } else if (e.difficulty() >= lo && e.difficulty() <= hi) {
                out.add(e);
            }
        }
        return out;
    }

    /** Nearest-rank quantile: the smallest value with at least {@code q} of the values at or below it. */
    static int nearestRank(int[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
