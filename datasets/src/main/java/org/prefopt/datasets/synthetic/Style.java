package org.prefopt.datasets.synthetic;

import java.util.Locale;

/** How a synthetic record states its final answer: GSM8K's {@code #### N} line or MATH's {@code \boxed{N}}. */
public enum Style {
    GSM8K, MATH;

    public static Style parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "gsm8k" -> GSM8K;
            case "math" -> MATH;
            default -> throw new IllegalArgumentException("style must be 'gsm8k' or 'math' (got '" + value + "')");
        };
    }

    String finalLine(String answerLatex) {
        return this == GSM8K ? "#### " + answerLatex : "\\boxed{" + answerLatex + "}";
    }
}
