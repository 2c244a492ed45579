package org.prefopt.datasets.io;

import java.util.Locale;

/** What a dataset does with a record it cannot use: stop with an error, or report it and go on. */
public enum BadRecordPolicy {
    FAIL, SKIP;

    public static final String OPTION = "on-bad-record";

    public static BadRecordPolicy parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "fail" -> FAIL;
            case "skip" -> SKIP;
            default -> throw new IllegalArgumentException(OPTION + " must be 'fail' or 'skip' (got '" + value + "')");
        };
    }
}
