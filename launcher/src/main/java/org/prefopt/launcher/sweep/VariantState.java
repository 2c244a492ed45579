package org.prefopt.launcher.sweep;

/**
 * What the sweep knows of one variant between invocations ({@code state/<variant>.json}).
 *
 * @param status      {@code pending} (never started), {@code running} (an attempt started; it may have been
 *                    killed), {@code failed} or {@code done}
 * @param attempts    how many times the sweep started or resumed it
 * @param wallSeconds wall time of all attempts together
 * @param exitCode    exit code of the last finished attempt (-1 while running)
 */
public record VariantState(String status, int attempts, double wallSeconds, int exitCode) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String FAILED = "failed";
    public static final String DONE = "done";

    public static VariantState fresh() {
        return new VariantState(PENDING, 0, 0, -1);
    }

    public boolean done() {
        return DONE.equals(status);
    }
}
