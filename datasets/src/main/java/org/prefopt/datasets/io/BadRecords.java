package org.prefopt.datasets.io;

import java.util.function.Consumer;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;

/**
 * Applies a dataset's {@link BadRecordPolicy} to the records a reader cannot use: under {@code fail} the first one
 * stops the read, under {@code skip} each is handed to the caller. One place for this, whatever the file format.
 */
public final class BadRecords {

    private static final String SKIP_HINT = "set on-bad-record = skip to skip and count such records";

    private final String file;
    private final BadRecordPolicy policy;
    private final Consumer<DataIssue> skipped;
    private final RecordFormat format;

    /**
     * @param format what the record numbers count (lines or rows); null where records are not numbered (a file
     *               per record)
     */
    public BadRecords(String file, BadRecordPolicy policy, Consumer<DataIssue> skipped, RecordFormat format) {
        this.file = file;
        this.policy = policy;
        this.skipped = skipped;
        this.format = format;
    }

    /**
     * @param number 1-based line or row; 0 when records are not numbered
     * @throws DataFormatException under the {@code fail} policy
     */
    public void report(long number, String reason, Throwable cause) {
        if (policy == BadRecordPolicy.FAIL) {
            throw new DataFormatException(new DataIssue(file, number, reason + " (" + where(number) + SKIP_HINT + ")"),
                    cause);
        }
        // The reason alone, without the number: statistics count skipped records by reason text.
        skipped.accept(new DataIssue(file, number, reason));
    }

    /**
     * DataIssue prints {@code file:N}, which reads as a line. For a Parquet row it says so, and that rows count
     * from 1 (pandas and the Hugging Face viewer show 0-based indexes).
     */
    private String where(long number) {
        return format == RecordFormat.PARQUET && number > 0 ? "row " + number + ", counting from 1; " : "";
    }
}
