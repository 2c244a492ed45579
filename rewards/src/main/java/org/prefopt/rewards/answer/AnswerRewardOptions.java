package org.prefopt.rewards.answer;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.rewards.equivalence.EquivalenceOptions;
import org.prefopt.rewards.extraction.AnswerPattern;

/**
 * Options of {@code gsm8k-answer} and {@code math-answer}.
 *
 * @param patterns         extraction patterns, tried in this order
 * @param formatPatterns   the patterns that count as the requested answer format
 * @param wrongFormatScore reward of a correct answer found only by a pattern outside {@code formatPatterns}
 * @param equivalence      how answers are compared
 */
public record AnswerRewardOptions(List<AnswerPattern> patterns, Set<AnswerPattern> formatPatterns,
                                  double wrongFormatScore, EquivalenceOptions equivalence) {

    static final String PATTERNS = "patterns";
    static final String FORMAT_PATTERNS = "format-patterns";
    static final String WRONG_FORMAT_SCORE = "wrong-format-score";
    static final String TIMEOUT = "timeout-ms";
    static final String MAX_CHARS = "max-answer-chars";

    /** Reads validated options; {@code symbolic} is fixed by the reward (GSM8K answers are numbers). */
    public static AnswerRewardOptions from(Config c, boolean symbolic) {
        List<AnswerPattern> patterns = patterns(c, PATTERNS);
        return new AnswerRewardOptions(patterns, Set.copyOf(patterns(c, FORMAT_PATTERNS)),
                c.getDouble(WRONG_FORMAT_SCORE),
                new EquivalenceOptions(symbolic, c.getLong(TIMEOUT), c.getInt(MAX_CHARS)));
    }

    public static void validate(Config c, OptionProblems problems) {
        List<String> names = c.getStringList(PATTERNS);
        if (names.isEmpty()) {
            problems.add(c, PATTERNS, "must list at least one pattern of: " + AnswerPattern.allOptionNames());
        }
        for (String key : List.of(PATTERNS, FORMAT_PATTERNS)) {
            for (String n : c.getStringList(key)) {
                if (AnswerPattern.byOptionName(n).isEmpty()) {
                    problems.add(c, key, "unknown pattern '" + n + "'; known: " + AnswerPattern.allOptionNames());
                }
            }
        }
        for (String n : c.getStringList(FORMAT_PATTERNS)) {
            if (!names.contains(n)) {
                problems.add(c, FORMAT_PATTERNS, "'" + n + "' is not in " + PATTERNS + " " + names
                        + "; a format pattern must also be an extraction pattern");
            }
        }
        problems.requireRange(c, WRONG_FORMAT_SCORE, 0.0, 1.0);
        problems.requireRange(c, TIMEOUT, 1, 60_000);
        problems.requireRange(c, MAX_CHARS, 1, 1_000_000);
    }

    private static List<AnswerPattern> patterns(Config c, String key) {
        List<AnswerPattern> out = new ArrayList<>();
        for (String n : c.getStringList(key)) {
            Optional<AnswerPattern> p = AnswerPattern.byOptionName(n);
            if (p.isEmpty()) {
                throw new IllegalArgumentException(key + ": unknown pattern '" + n + "'; known: "
                        + AnswerPattern.allOptionNames());
            }
            out.add(p.get());
        }
        return out;
    }
}
