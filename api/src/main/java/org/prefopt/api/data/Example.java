package org.prefopt.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task instance.
 *
 * @param id                stable identifier, unique within its dataset (used for splits, samplers, resume)
 * @param prompt            the question as the user would ask it, before any prompt template
 * @param goldAnswer        the verifiable answer in its dataset's notation (e.g. {@code 18}, {@code \frac{1}{2}});
 *                          null when the dataset has none
 * @param referenceSolution a worked solution (used by SFT and DPO); null when absent
 * @param difficulty        the difficulty tier: MATH level 1..5, GSM8K reasoning steps, synthetic level;
 *                          {@link #UNKNOWN_DIFFICULTY} when unknown
 * @param subject           MATH subject / type, or null
 * @param origin            where the record came from, {@code file:line}, for error reports
 * @param attributes        any further fields (e.g. {@code chosen}/{@code rejected} of a preference pair)
 */
public record Example(String id, String prompt, String goldAnswer, String referenceSolution, int difficulty,
                      String subject, String origin, Map<String, String> attributes) {

    public static final int UNKNOWN_DIFFICULTY = 0;

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        // insertion order (not Map.copyOf's per-JVM order), so anything written from the attributes is the same every run
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public boolean hasDifficulty() {
        return difficulty != UNKNOWN_DIFFICULTY;
    }
}
