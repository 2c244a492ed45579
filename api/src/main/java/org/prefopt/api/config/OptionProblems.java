package org.prefopt.api.config;

import com.typesafe.config.Config;

/**
 * Collects problems found while validating a component's options, so that all of them are reported at once with
 * the file and line the offending value came from.
 */
public interface OptionProblems {

    /**
     * Records a problem with one option.
     *
     * @param options the component's options (used to find where {@code key} was set)
     * @param key     the option's path inside the component section, e.g. {@code group-size}
     * @param message what is wrong and what to do, e.g. "must be at least 2 (got 1)"
     */
    void add(Config options, String key, String message);

    /** Checks {@code min <= value <= max} for an integer option. */
    default void requireRange(Config options, String key, long min, long max) {
        if (options.hasPath(key)) {
            long value = options.getLong(key);
            if (value < min || value > max) {
                add(options, key, "must be between " + min + " and " + max + " (got " + value + ")");
            }
        }
    }

    /** Checks {@code min <= value <= max} for a floating-point option. */
    default void requireRange(Config options, String key, double min, double max) {
        if (options.hasPath(key)) {
            double value = options.getDouble(key);
            if (!(value >= min && value <= max)) {
                add(options, key, "must be between " + min + " and " + max + " (got " + value + ")");
            }
        }
    }

    /** Checks that a string option is one of {@code allowed}. */
    default void requireOneOf(Config options, String key, java.util.Collection<String> allowed) {
        if (options.hasPath(key)) {
            String value = options.getString(key);
            if (!allowed.contains(value)) {
                add(options, key, "must be one of " + allowed + " (got '" + value + "')");
            }
        }
    }
}
