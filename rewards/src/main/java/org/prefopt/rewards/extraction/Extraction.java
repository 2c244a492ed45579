package org.prefopt.rewards.extraction;

/**
 * What an {@link AnswerExtractor} read from a completion.
 *
 * @param answer  the extracted answer text, or null when nothing was found
 * @param pattern the pattern that found it, or null
 * @param failure why nothing was extracted (null when {@code answer} is present)
 */
public record Extraction(String answer, AnswerPattern pattern, String failure) {

    public static Extraction found(String answer, AnswerPattern pattern) {
        return new Extraction(answer, pattern, null);
    }

    public static Extraction none(String failure) {
        return new Extraction(null, null, failure);
    }

    public boolean isPresent() {
        return answer != null;
    }
}
