package org.prefopt.datasets.io;

/**
 * Thrown by a record parser for a record that cannot be used. The reader adds file and line and applies the
 * dataset's {@link BadRecordPolicy}.
 */
public class BadRecordException extends Exception {

    public BadRecordException(String reason) {
        super(reason, null, false, false);
    }
}
