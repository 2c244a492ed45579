package org.prefopt.launcher.training;

import java.util.Locale;

/** What the loop does when a step reports a non-finite loss or gradient ({@code run.on-non-finite}). */
public enum NonFinitePolicy {
    /** End the run with an error naming the step; the last good checkpoint stays the newest. */
    STOP,
    /**
     * Log the step (flagged) and go on. Relies on {@code PolicyModel.optimizerStep()} clearing non-finite
     * gradients without an update, so the weights stay the last good ones; no checkpoint is written at that step.
     */
    SKIP;

    public static NonFinitePolicy parse(String value) {
        for (NonFinitePolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("run.on-non-finite must be 'stop' or 'skip' (got '" + value + "')");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
