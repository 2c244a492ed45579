package org.prefopt.rewards.extraction;

import org.prefopt.api.text.BoxedAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the final answer from a completion by trying the configured patterns in order; the first pattern that
 * finds an answer wins, and within one pattern the last occurrence wins (models restate and correct themselves).
 * Immutable and thread-safe. Every pattern is linear in the input: no regular expression here can backtrack
 * more than a bounded window.
 */
public final class AnswerExtractor {

    /** Longest answer kept from a phrase pattern; a longer tail is cut at this length. */
    static final int MAX_PHRASE_ANSWER = 300;

    private static final Pattern FINAL_ANSWER = Pattern.compile(
            "(?i)final\\s+answer\\s*(?:is|:)\\s*:?\\s*(.{1," + MAX_PHRASE_ANSWER + "}?)\\s*(?:\\.(?=\\s|$)|\\n|$)");
    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?i)\\banswer\\s+is\\s*:?\\s*(.{1," + MAX_PHRASE_ANSWER + "}?)\\s*(?:\\.(?=\\s|$)|\\n|$)");
    private static final Pattern HASHES = Pattern.compile("####[ \\t]*([^\\n]{0," + MAX_PHRASE_ANSWER + "})");
    private static final Pattern ANSWER_COLON = Pattern.compile(
            "(?i)\\banswer[ \\t]*:[ \\t]*([^\\n]{0," + MAX_PHRASE_ANSWER + "})");
    /**
     * A number, read as one: thousands groups of exactly three digits, separated either by comma-like marks (a
     * comma, {@code {,}}, {@code \,}, {@code ,\!}) or by spaces (a space, thin space or no-break space), not both;
     * never part of a word: a number directly after a letter ({@code AZYUK2A}, {@code x2}, {@code \frac13}) is
     * not taken.
     */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\d./])[-\\u2212]?(?:\\d{1,3}(?:(?:,|\\{,\\}|,\\\\!|\\\\,|\\\\!)\\d{3}(?!\\d))+"
                    + "|\\d{1,3}(?:[ \\u00a0\\u2009\\u202f]\\d{3}(?!\\d))+|\\d+)(?:\\.\\d+|/\\d+(?!\\d|\\.\\d))?"
                    + "|(?<![\\p{L}\\d./])[-\\u2212]?\\.\\d+");
    private static final Pattern SEPARATORS = Pattern.compile("\\{,\\}|\\\\[,!]|[, \\u00a0\\u2009\\u202f]");
    /** A phrase that starts like a sentence: a word of two or more letters, then a space and more. */
    private static final Pattern PROSE_START = Pattern.compile("[A-Za-z]{2,}\\s+\\S");
    /** The last " is " / " are " / " equals " of a sentence (greedy prefix, so the last one). */
    private static final Pattern LAST_IS = Pattern.compile("(?s)^.*\\s(?:is|are|equals|be)\\s+");
    private static final Pattern HOPE_CORRECT = Pattern.compile("(?i)\\s*\\.?\\s*I hope it is correct\\.?\\s*$");

    private final List<AnswerPattern> patterns;

    public AnswerExtractor(List<AnswerPattern> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("at least one answer pattern is needed");
        }
        this.patterns = List.copyOf(patterns);
    }

    public List<AnswerPattern> patterns() {
        return patterns;
    }

    public Extraction extract(String completion) {
        if (completion == null || completion.isBlank()) {
            return Extraction.none("empty completion");
        }
        List<String> misses = new ArrayList<>(patterns.size());
        for (AnswerPattern p : patterns) {
            String failure;
            switch (p) {
                case BOXED -> {
                    BoxedAnswers.Result r = BoxedAnswers.lastBoxed(completion);
                    if (r.content() != null) {
                        return Extraction.found(r.content(), p);
                    }
                    failure = r.failure();
                }
                case FINAL_ANSWER, ANSWER_IS, HASHES, ANSWER_COLON -> {
                    String a = lastPhrase(completion, p);
                    if (a != null && !a.isEmpty()) {
                        return Extraction.found(a, p);
                    }
                    failure = a == null ? "no '" + describe(p) + "' found" : "'" + describe(p) + "' is followed by nothing";
                }
                case LAST_MATH -> {
                    String a = MathSpans.last(completion);
                    if (a != null) {
                        return Extraction.found(a, p);
                    }
                    failure = "no math-mode expression ($...$, \\(...\\), \\[...\\]) found";
                }
                case LAST_NUMBER -> {
                    String a = lastNumber(completion);
                    if (a != null) {
                        return Extraction.found(a, p);
                    }
                    failure = "no number found";
                }
                default -> throw new AssertionError(p);
            }
            misses.add(failure);
        }
        return Extraction.none(String.join("; ", misses));
    }

    private static String describe(AnswerPattern p) {
        return switch (p) {
            case FINAL_ANSWER -> "The final answer is";
            case ANSWER_IS -> "The answer is";
            case HASHES -> "####";
            case ANSWER_COLON -> "Answer:";
            default -> p.optionName();
        };
    }

    private static Pattern regex(AnswerPattern p) {
        return switch (p) {
            case FINAL_ANSWER -> FINAL_ANSWER;
            case ANSWER_IS -> ANSWER_IS;
            case HASHES -> HASHES;
            case ANSWER_COLON -> ANSWER_COLON;
            default -> throw new IllegalArgumentException(p.name());
        };
    }

    /** The cleaned text after the last occurrence of the phrase; "" when the phrase has nothing after it. */
    private static String lastPhrase(String text, AnswerPattern p) {
        Matcher m = regex(p).matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? null : clean(last);
    }

    /** Removes the decoration around a phrase answer: a box inside it, $...$, a closing period, prose around math. */
    static String clean(String raw) {
        String s = HOPE_CORRECT.matcher(raw).replaceFirst("").trim();
        BoxedAnswers.Result boxed = BoxedAnswers.lastBoxed(s);
        if (boxed.content() != null) {
            return boxed.content();
        }
        s = trimPeriods(s);
        if (s.startsWith("$") || s.startsWith("\\(") || s.startsWith("\\[")) {
            // "$x = 3$ meters", "$12$ (in dollars)": the expression the phrase starts with is the answer.
            String math = MathSpans.first(s);
            return math == null ? s : trimPeriods(math);
        }
        Matcher prose = PROSE_START.matcher(s);
        if (prose.lookingAt()) {
            // "The volume of $V$ is 120", "the interval $[2, 5)$": a sentence, not an expression. What follows its
            // last "is" is the answer; else its last math-mode expression.
            Matcher is = LAST_IS.matcher(s);
            if (is.find() && is.end() < s.length()) {
                return clean(s.substring(is.end()));
            }
            String math = MathSpans.last(s);
            if (math != null) {
                return trimPeriods(math);
            }
        }
        return s;
    }

    private static String trimPeriods(String s) {
        while (s.endsWith(".") && !s.endsWith("..")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        return s;
    }

    private static String lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? null : SEPARATORS.matcher(last).replaceAll("").replace('\u2212', '-');
    }
}
