package org.prefopt.api.data;

/**
 * A record that could not be read, with enough location to find and fix it.
 *
 * @param file   the file the record is in
 * @param line   1-based line (or record number for non-line formats); 0 when not applicable
 * @param reason what is wrong, e.g. {@code level "Level ?" is not one of Level 1..Level 5}
 */
public record DataIssue(String file, long line, String reason) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + reason;
    }
}
