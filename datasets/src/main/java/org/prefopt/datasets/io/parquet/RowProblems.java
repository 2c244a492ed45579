package org.prefopt.datasets.io.parquet;

/**
 * What was wrong with the row being assembled. Converters record a problem here instead of throwing: an exception
 * in the middle of a row would leave parquet-java's column readers at different rows, and the next row could not
 * be read.
 */
final class RowProblems {

    private String first;

    void add(String problem) {
        if (first == null) {
            first = problem;
        }
    }

    /** The first problem of the row, or null; clears it for the next row. */
    String take() {
        String p = first;
        first = null;
        return p;
    }
}
