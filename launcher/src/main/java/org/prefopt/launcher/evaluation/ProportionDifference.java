package org.prefopt.launcher.evaluation;

/**
 * The difference of two accuracies, {@code a − b}, with Newcombe's hybrid score interval (1998, method 10), built
 * from the two Wilson intervals. It stays inside [−1, 1] and behaves at 0% and 100%, where the plain Wald interval
 * does not. It treats the two as independent samples; for two models graded on the same problems that is
 * conservative (a paired interval would be narrower).
 *
 * @param difference a − b
 * @param low        lower 95% bound
 * @param high       upper 95% bound
 */
public record ProportionDifference(double difference, double low, double high) {

    public static ProportionDifference of(Proportion a, Proportion b) {
        double d = a.value() - b.value();
        double low = d - Math.sqrt(square(a.value() - a.low()) + square(b.high() - b.value()));
        double high = d + Math.sqrt(square(a.high() - a.value()) + square(b.value() - b.low()));
        return new ProportionDifference(d, low, high);
    }

    /** True when the interval excludes zero. */
    public boolean significant() {
        return low > 0 || high < 0;
    }

    private static double square(double x) {
        return x * x;
    }
}
