package org.prefopt.datasets.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.prefopt.api.data.Example;

/**
 * Turns one record into an example, or explains why it cannot. Every format hands it the same thing, a JSON
 * object (a Parquet row is converted to one), so gold extraction, difficulty and bad-record reasons are the same
 * whatever the file format.
 */
@FunctionalInterface
public interface RecordParser {

    /**
     * @param record   the record as a JSON object
     * @param fileName the file's name (for ids such as {@code test.jsonl:17})
     * @param origin   {@code path:line} (or {@code path:row}), for {@link Example#origin()}
     * @param line     1-based line (or row)
     */
    Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException;

    /**
     * Fields without which no record can be parsed. A format with a schema (Parquet) checks them once against the
     * file's columns, so a file for another dataset type fails at once with one clear message rather than with a
     * bad record per row. JSONL has no schema; there each record is checked by {@link #parse}.
     */
    default List<String> requiredFields() {
        return List.of();
    }
}
