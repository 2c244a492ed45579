package org.prefopt.launcher.rollout;

/** Small descriptive statistics, NaN-aware the way TRL's {@code nanmean}/{@code nanstd} are. */
public final class Stats {

    private Stats() {
    }

    public static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Unbiased (n-1) standard deviation of the non-NaN values; 0 for a single value, NaN for none. */
    public static double nanStd(double[] values) {
        double mean = nanMean(values);
        if (Double.isNaN(mean)) {
            return Double.NaN;
        }
        double ss = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
                n++;
            }
        }
        return n < 2 ? 0.0 : Math.sqrt(ss / (n - 1));
    }
}
