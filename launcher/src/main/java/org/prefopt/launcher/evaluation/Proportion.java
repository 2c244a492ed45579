package org.prefopt.launcher.evaluation;

/**
 * A binomial accuracy with its Wilson 95% interval.
 *
 * @param n       examples
 * @param correct correct ones
 * @param value   correct / n (NaN when n is 0)
 * @param low     lower end of the 95% interval
 * @param high    upper end
 */
public record Proportion(long n, long correct, double value, double low, double high) {

    public static Proportion of(long correct, long n) {
        double[] ci = WilsonInterval.of95(correct, n);
        return new Proportion(n, correct, n == 0 ? Double.NaN : (double) correct / n, ci[0], ci[1]);
    }
}
