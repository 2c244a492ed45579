package org.prefopt.datasets.jsonl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.Fields;
import org.prefopt.datasets.io.RecordParser;

/**
 * Which JSON fields hold the parts of an example. An empty name means the dataset has no such field; a named field
 * missing from a record makes that record bad. The difficulty field holds a positive integer (or its digits as a
 * string); without one, difficulty is unknown. Without an id field, the id is {@code file:line}.
 */
public record FieldMapping(String prompt, String answer, String difficulty, String id, String solution,
                           String subject) implements RecordParser {

    public FieldMapping {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt-field must name a field");
        }
    }

    /** Every named field: a named field missing from a record makes the record bad. */
    @Override
    public List<String> requiredFields() {
        return Stream.of(prompt, answer, difficulty, id, solution, subject).filter(FieldMapping::used).toList();
    }

    @Override
    public Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException {
        String p = Fields.nonBlank(record, prompt).strip();
        String gold = used(answer) ? Fields.nonBlank(record, answer).strip() : null;
        int d = used(difficulty) ? Fields.positiveInt(record, difficulty) : Example.UNKNOWN_DIFFICULTY;
        String i = used(id) ? Fields.nonBlank(record, id) : fileName + ":" + line;
        String s = used(solution) ? Fields.text(record, solution) : null;
        String subj = used(subject) ? Fields.text(record, subject) : null;
        return new Example(i, p, gold, s, d, subj, origin, Map.of());
    }

    private static boolean used(String field) {
        return field != null && !field.isEmpty();
    }
}
