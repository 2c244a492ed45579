package org.prefopt.launcher.evaluation;

/**
 * A paired difference of accuracies (or of two such differences) with its percentile bootstrap 95% interval, all
 * as fractions; see {@link PairedBootstrap}.
 *
 * @param difference the estimate on the data as observed
 * @param low        lower end of the 95% interval (2.5th percentile of the resampled estimates)
 * @param high       upper end (97.5th percentile)
 * @param problems   paired problems the estimate is based on (all cells together)
 */
public record PairedDifference(double difference, double low, double high, long problems) {

    /** True when the interval excludes zero. */
    public boolean significant() {
        return low > 0 || high < 0;
    }
}
