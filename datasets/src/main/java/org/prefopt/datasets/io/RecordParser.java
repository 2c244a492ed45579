package org.prefopt.datasets.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.prefopt.api.data.Example;

/** Turns one JSON record into an example, or explains why it cannot. */
@FunctionalInterface
public interface RecordParser {

    /**
     * @param record   the parsed JSON object
     * @param fileName the file's name (for ids such as {@code test.jsonl:17})
     * @param origin   {@code path:line}, for {@link Example#origin()}
     * @param line     1-based line (or record number)
     */
    Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException;
}
