package org.prefopt.datasets.split;

import java.util.Locale;

/**
 * Which side of a train/held-out split to draw from: the one vocabulary of the {@code held-out} filter's
 * {@code side} and {@code synthetic-arithmetic}'s {@code split}. {@link #ALL} (no split) exists only where a split is
 * optional.
 */
public enum SplitSide {
    ALL, TRAIN, HELD_OUT;

    /**
     * The side a config value names.
     *
     * @param key      the option's name, for the message
     * @param allowAll whether {@code all} (no split) is a valid value for this option
     */
    public static SplitSide parse(String text, String key, boolean allowAll) {
        for (SplitSide s : values()) {
            if (s.configName().equals(text) && (allowAll || s != ALL)) {
                return s;
            }
        }
        String allowed = allowAll ? "all, train or held-out" : "train or held-out";
        throw new IllegalArgumentException(key + " must be " + allowed + " (got '" + text + "')");
    }

    /** How config files spell it: {@code all}, {@code train}, {@code held-out}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
