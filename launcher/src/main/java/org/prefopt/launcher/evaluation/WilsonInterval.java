package org.prefopt.launcher.evaluation;

/**
 * The Wilson score interval for a binomial proportion: unlike the normal approximation it stays inside [0, 1] and
 * behaves at 0 and n successes, which is where small-model accuracies often are.
 */
public final class WilsonInterval {

    /** The 0.975 quantile of the standard normal: a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private WilsonInterval() {
    }

    /** {@code [low, high]} for {@code successes} out of {@code n} trials at quantile {@code z}; [0, 1] when n is 0. */
    public static double[] of(long successes, long n, double z) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("successes must be in 0.." + n + " (got " + successes + ")");
        }
        if (n == 0) {
            return new double[] {0.0, 1.0};
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        // At 0 and n successes the exact ends are 0 and 1; rounding would leave e.g. 2.8e-17.
        double low = successes == 0 ? 0.0 : Math.max(0.0, center - half);
        double high = successes == n ? 1.0 : Math.min(1.0, center + half);
        return new double[] {low, high};
    }

    public static double[] of95(long successes, long n) {
        return of(successes, n, Z95);
    }
}
