package org.prefopt.datasets.math;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prefopt.api.data.Example;
import org.prefopt.api.text.BoxedAnswers;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.Fields;
import org.prefopt.datasets.io.RecordParser;

/**
 * Parses a Hendrycks MATH record: {@code problem}, {@code level} ("Level 1".."Level 5"), {@code type} or
 * {@code subject}, and {@code solution} and/or {@code answer}; {@code unique_id} when present becomes the id.
 */
public final class MathRecords implements RecordParser {

    private static final Pattern LEVEL = Pattern.compile("(?i)\\s*(?:level\\s*)?([1-5])\\s*");

    /** {@code answer} and {@code solution} are each optional; a record lacking both is bad. */
    @Override
    public List<String> requiredFields() {
        return List.of("problem", "level");
    }

    @Override
    public Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException {
        return parse(record, fileName + ":" + line, origin);
    }

    /** Parses with a given fallback id (file:line for JSONL, the relative path for the directory tree). */
    public Example parse(JsonNode record, String fallbackId, String origin) throws BadRecordException {
        String problem = Fields.nonBlank(record, "problem").strip();
        int level = level(record);
        String subject = Fields.optionalText(record, "subject");
        if (subject == null) {
            subject = Fields.optionalText(record, "type");
        }
        String solution = Fields.optionalText(record, "solution");
        String answer = Fields.optionalText(record, "answer");
        String gold;
        if (answer != null && !answer.isBlank()) {
            gold = answer.strip();
        } else if (solution != null) {
            BoxedAnswers.Result boxed = BoxedAnswers.lastBoxed(solution);
            if (!boxed.found()) {
                throw new BadRecordException("no 'answer' field, and no usable boxed answer in 'solution': "
                        + boxed.failure());
            }
            gold = boxed.content();
        } else if (answer != null) {
            throw new BadRecordException("field 'answer' is empty and there is no 'solution' to take it from");
        } else {
            throw new BadRecordException("record has neither an 'answer' nor a 'solution' field");
        }
        String id = Fields.optionalText(record, "unique_id");
        return new Example(id == null || id.isBlank() ? fallbackId : id, problem, gold, solution, level, subject,
                origin, Map.of());
    }

    private static int level(JsonNode record) throws BadRecordException {
        JsonNode v = record.get("level");
        if (v == null || v.isNull()) {
            throw new BadRecordException("missing field 'level'");
        }
        if (v.isIntegralNumber() && v.asInt() >= 1 && v.asInt() <= 5) {
            return v.asInt();
        }
        if (v.isTextual()) {
            Matcher m = LEVEL.matcher(v.asText());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new BadRecordException("level " + v + " is not one of Level 1..Level 5");
    }
}
