package org.prefopt.datasets.preference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.Fields;
import org.prefopt.datasets.io.RecordParser;

/**
 * Parses a preference pair: {@code prompt}, {@code chosen}, {@code rejected} (strings), optional {@code difficulty}
 * (positive integer), {@code id} and {@code answer}. The texts go to {@link Example#attributes()} under
 * {@link #CHOSEN} and {@link #REJECTED}.
 */
public final class PreferenceRecords implements RecordParser {

    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";

    @Override
    public List<String> requiredFields() {
        return List.of("prompt", CHOSEN, REJECTED);
    }

    @Override
    public Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException {
        String prompt = Fields.nonBlank(record, "prompt");
        String chosen = Fields.nonBlank(record, CHOSEN);
        String rejected = Fields.nonBlank(record, REJECTED);
        if (chosen.equals(rejected)) {
            // The DPO loss of such a pair has zero gradient; it is almost always a data-preparation mistake.
            throw new BadRecordException("'chosen' and 'rejected' are identical");
        }
        int difficulty = record.hasNonNull("difficulty") ? Fields.positiveInt(record, "difficulty")
                : Example.UNKNOWN_DIFFICULTY;
        String id = Fields.optionalText(record, "id");
        String answer = Fields.optionalText(record, "answer");
        return new Example(id == null || id.isBlank() ? fileName + ":" + line : id, prompt, answer, chosen,
                difficulty, null, origin, Map.of(CHOSEN, chosen, REJECTED, rejected));
    }
}
