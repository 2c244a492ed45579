package org.prefopt.rewards.extraction;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A way a completion can state its final answer. Names are the option values used in run files. */
public enum AnswerPattern {
    /** The last {@code \boxed{...}} or {@code \fbox{...}} (matched braces), or {@code \boxed 5}. */
    BOXED("boxed"),
    /** "The final answer is X". */
    FINAL_ANSWER("final-answer"),
    /** "The answer is X". */
    ANSWER_IS("answer-is"),
    /** GSM8K's {@code #### X}. */
    HASHES("hashes"),
    /** "Answer: X". */
    ANSWER_COLON("answer-colon"),
    /**
     * The last math-mode expression ({@code $...$}, {@code $$...$$}, {@code \(...\)}, {@code \[...\]}), for answers
     * written in LaTeX without a box, as Math-Verify reads them.
     */
    LAST_MATH("last-math"),
    /** The last number in the completion (not one inside a word): a last resort. */
    LAST_NUMBER("last-number");

    private final String optionName;

    AnswerPattern(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static Optional<AnswerPattern> byOptionName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.optionName.equals(n)).findFirst();
    }

    public static String allOptionNames() {
        return Arrays.stream(values()).map(AnswerPattern::optionName).collect(Collectors.joining(", "));
    }
}
