package org.prefopt.rewards.answer;

import org.prefopt.api.data.Example;
import org.prefopt.rewards.extraction.AnswerExtractor;
import org.prefopt.rewards.extraction.AnswerPattern;
import org.prefopt.rewards.extraction.Extraction;
import java.util.List;

/**
 * Finds the gold answer of an example: {@link Example#goldAnswer()} when the dataset set it (a GSM8K-style
 * {@code ... #### 18} is cut to {@code 18}), otherwise the final answer of the reference solution ({@code ####}
 * line or last {@code \boxed{}}).
 */
final class GoldAnswers {

    private static final AnswerExtractor FROM_SOLUTION =
            new AnswerExtractor(List.of(AnswerPattern.HASHES, AnswerPattern.BOXED));

    private GoldAnswers() {
    }

    /** The gold answer, or null when the example has none. */
    static String of(Example example) {
        String gold = example.goldAnswer();
        if (gold != null && !gold.isBlank()) {
            int hashes = gold.lastIndexOf("####");
            return hashes >= 0 ? gold.substring(hashes + 4).trim() : gold.trim();
        }
        if (example.referenceSolution() != null) {
            Extraction e = FROM_SOLUTION.extract(example.referenceSolution());
            return e.isPresent() ? e.answer() : null;
        }
        return null;
    }
}
