package org.prefopt.launcher.evaluation;

/**
 * The mean over examples of a per-example score in [0, 1] (mean@k, pass@k) with a normal-approximation 95%
 * interval from the spread across examples (clipped to [0, 1]; NaN ends with fewer than 2 examples). The
 * examples, not the samples, are the independent units, so this interval does not overstate precision the way a
 * Wilson interval over all n·k samples would.
 *
 * @param n    examples
 * @param mean mean score
 * @param low  lower end of the 95% interval
 * @param high upper end
 */
public record Estimate(int n, double mean, double low, double high) {

    public static Estimate of(double[] perExample) {
        int n = perExample.length;
        if (n == 0) {
            return new Estimate(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : perExample) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Estimate(n, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : perExample) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double half = WilsonInterval.Z95 * se;
        return new Estimate(n, mean, Math.max(0, mean - half), Math.min(1, mean + half));
    }
}
