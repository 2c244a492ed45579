package org.prefopt.datasets.preference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.Fields;
import org.prefopt.datasets.io.RecordParser;

/**
 * Parses preference records of two shapes (TRL's paired and unpaired preference formats):
 * <ul>
 *   <li>a pair: {@code prompt}, {@code chosen}, {@code rejected} (strings); the texts go to
 *       {@link Example#attributes()} under {@link #CHOSEN} and {@link #REJECTED};</li>
 *   <li>an unpaired completion (for KTO): {@code prompt}, {@code completion} (string) and {@code label}
 *       ({@code true} for a desirable, {@code false} for an undesirable completion, a JSON boolean); they go to the
 *       attributes under {@link #COMPLETION} and {@link #LABEL} ({@code "true"} or {@code "false"}).</li>
 * </ul>
 * A record with a {@code label} field is unpaired, any other a pair. Both take the optional {@code difficulty}
 * (positive integer), {@code id} and {@code answer}.
 */
public final class PreferenceRecords implements RecordParser {

    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";
    public static final String COMPLETION = "completion";
    public static final String LABEL = "label";

    /** Only the prompt: a file may hold pairs or unpaired completions, so their fields are checked per record. */
    @Override
    public List<String> requiredFields() {
        return List.of("prompt");
    }

    @Override
    public Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException {
        String prompt = Fields.nonBlank(record, "prompt");
        int difficulty = record.hasNonNull("difficulty") ? Fields.positiveInt(record, "difficulty")
                : Example.UNKNOWN_DIFFICULTY;
        String id = Fields.optionalText(record, "id");
        String answer = Fields.optionalText(record, "answer");
        String exampleId = id == null || id.isBlank() ? fileName + ":" + line : id;
        if (record.has(LABEL) || (record.has(COMPLETION) && !record.has(CHOSEN))) {
            String completion = Fields.nonBlank(record, COMPLETION);
            boolean desirable = label(record);
            if (record.has(CHOSEN) || record.has(REJECTED)) {
                throw new BadRecordException("a record is either a pair (chosen, rejected) or an unpaired completion"
                        + " (completion, label), not both");
            }
            return new Example(exampleId, prompt, answer, desirable ? completion : null, difficulty, null, origin,
                    Map.of(COMPLETION, completion, LABEL, Boolean.toString(desirable)));
        }
        String chosen = Fields.nonBlank(record, CHOSEN);
        String rejected = Fields.nonBlank(record, REJECTED);
        if (chosen.equals(rejected)) {
            // The DPO loss of such a pair has zero gradient; it is almost always a data-preparation mistake.
            throw new BadRecordException("'chosen' and 'rejected' are identical");
        }
        return new Example(exampleId, prompt, answer, chosen, difficulty, null, origin,
                Map.of(CHOSEN, chosen, REJECTED, rejected));
    }

    private static boolean label(JsonNode record) throws BadRecordException {
        JsonNode v = record.get(LABEL);
        if (v == null || v.isNull()) {
            throw new BadRecordException("an unpaired record (with a 'completion') needs a 'label': true for a"
                    + " desirable completion, false for an undesirable one");
        }
        if (!v.isBoolean()) {
            throw new BadRecordException("field 'label' must be true or false (a JSON boolean; got " + v + ")");
        }
        return v.asBoolean();
    }
}
