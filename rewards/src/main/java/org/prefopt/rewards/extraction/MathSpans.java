package org.prefopt.rewards.extraction;

/**
 * Finds math-mode expressions in a completion: {@code $...$}, {@code $$...$$}, {@code \(...\)} and
 * {@code \[...\]}, as Math-Verify reads an answer that is not boxed. One left-to-right pass, linear in the input.
 *
 * <p>A single {@code $} is also a currency sign in model outputs ("it costs $5 ... the answer is $\frac12$"), so an
 * inline span is refused, and its opening {@code $} read as text, when
 * <ul>
 *   <li>it crosses a line break (inline math does not; display math may),</li>
 *   <li>its closing {@code $} is directly followed by a digit ({@code $20 and $30}: Pandoc's rule) or by a
 *       GSM8K calculator annotation ({@code $12 x 5 =$<<12*5=60>>60}),</li>
 *   <li>it ends with an operator ({@code $20+$2=$22}: a sum of prices, not an expression),</li>
 *   <li>it starts with a digit and ends with a space ({@code $60 = $}: a price, then the next price's sign;
 *       {@code $ 9 $}, {@code $9$} and {@code $\\frac13 $} are math),</li>
 *   <li>it holds a GSM8K calculator annotation ({@code $<<9*2=18>>18}), or</li>
 *   <li>it holds prose: three words of two or more letters in a row, outside any LaTeX command
 *       ({@code \text{square feet}} is two words and stays math).</li>
 * </ul>
 * An escaped {@code \$} is never a delimiter.
 */
final class MathSpans {

    private MathSpans() {
    }

    /** The content of the last non-empty math-mode expression, trimmed, or null. */
    static String last(String text) {
        return scan(text, false);
    }

    /** The content of the first non-empty math-mode expression, trimmed, or null. */
    static String first(String text) {
        return scan(text, true);
    }

    private static String scan(String text, boolean stopAtFirst) {
        int n = text.length();
        int[] prose = proseMarks(text);
        int[] nextLineBreak = null;
        String found = null;
        boolean noInlineClose = false;
        boolean noDisplayClose = false;
        boolean noParenClose = false;
        boolean noBracketClose = false;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int start = -1;
            int end = -1;
            int next = i + 1;
            if (c == '\\' && i + 1 < n) {
                char d = text.charAt(i + 1);
                next = i + 2; // an escaped character (\$, \\) is never a delimiter
                if (d == '(' && !noParenClose) {
                    int close = text.indexOf("\\)", i + 2);
                    noParenClose = close < 0;
                    if (close >= 0) {
                        start = i + 2;
                        end = close;
                        next = close + 2;
                    }
                } else if (d == '[' && !noBracketClose) {
                    int close = text.indexOf("\\]", i + 2);
                    noBracketClose = close < 0;
                    if (close >= 0) {
                        start = i + 2;
                        end = close;
                        next = close + 2;
                    }
                }
            } else if (c == '$' && i + 1 < n && text.charAt(i + 1) == '$') {
                next = i + 2;
                if (!noDisplayClose) {
                    int close = unescapedIndexOf(text, "$$", i + 2);
                    noDisplayClose = close < 0;
                    if (close >= 0) {
                        start = i + 2;
                        end = close;
                        next = close + 2;
                    }
                }
            } else if (c == '$' && !noInlineClose) {
                int close = inlineClose(text, i + 1);
                if (close < 0) {
                    noInlineClose = true;
                } else {
                    if (nextLineBreak == null) {
                        nextLineBreak = nextLineBreaks(text);
                    }
                    boolean crossesLine = nextLineBreak[i] < close;
                    boolean digitAfter = close + 1 < n
                            && (Character.isDigit(text.charAt(close + 1)) || text.charAt(close + 1) == '<');
                    boolean hasProse = prose[close] - prose[i + 1] > 0;
                    boolean price = Character.isDigit(text.charAt(i + 1)) && Character.isWhitespace(text.charAt(close - 1));
                    boolean calculator = containsBetween(text, "<<", i + 1, close);
                    if (!crossesLine && !digitAfter && !hasProse && !price && !calculator
                            && !endsWithOperator(text, i + 1, close)) {
                        start = i + 1;
                        end = close;
                        next = close + 1;
                    }
                }
            }
            if (start >= 0) {
                String content = text.substring(start, end).trim();
                if (!content.isEmpty()) {
                    found = content;
                    if (stopAtFirst) {
                        return found;
                    }
                }
            }
            i = next;
        }
        return found;
    }

    /** The next single {@code $} (not escaped, not part of {@code $$}) from {@code from}, or -1. */
    private static int inlineClose(String text, int from) {
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '$') {
                return j;
            }
        }
        return -1;
    }

    /** Whether the text in [from, to), trimmed, ends with an arithmetic operator or a relation sign. */
    private static boolean endsWithOperator(String text, int from, int to) {
        int j = to - 1;
        while (j >= from && Character.isWhitespace(text.charAt(j))) {
            j--;
        }
        if (j < from) {
            return false;
        }
        String end = text.substring(Math.max(from, j - 5), j + 1);
        return "+-*/=\u00d7<>".indexOf(text.charAt(j)) >= 0 || end.endsWith("\\times") || end.endsWith("\\cdot");
    }

    /** Whether {@code what} occurs inside [from, to); looks at that range only. */
    private static boolean containsBetween(String text, String what, int from, int to) {
        for (int j = from; j + what.length() <= to; j++) {
            if (text.startsWith(what, j)) {
                return true;
            }
        }
        return false;
    }

    private static int unescapedIndexOf(String text, String what, int from) {
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                j++;
            } else if (text.startsWith(what, j)) {
                return j;
            }
        }
        return -1;
    }

    /** For each index, the index of the next line break at or after it ({@code text.length()} if none). */
    private static int[] nextLineBreaks(String text) {
        int[] next = new int[text.length() + 1];
        next[text.length()] = text.length();
        for (int j = text.length() - 1; j >= 0; j--) {
            next[j] = text.charAt(j) == '\n' ? j : next[j + 1];
        }
        return next;
    }

    /**
     * Prefix counts of prose marks: {@code marks[k]} is the number of marks before index k, a mark being the third
     * consecutive word (two or more letters, not a command name after a backslash) separated only by spaces.
     * A span [a, b) holds prose when {@code marks[b] - marks[a] > 0}; a run of words cannot cross a {@code $},
     * so a span either holds a whole run or none of it.
     */
    private static int[] proseMarks(String text) {
        int n = text.length();
        int[] marks = new int[n + 1];
        int run = 0;
        int i = 0;
        while (i < n) {
            marks[i + 1] = marks[i];
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                int j = i;
                while (j < n && Character.isLetter(text.charAt(j))) {
                    j++;
                    marks[j] = marks[i];
                }
                boolean command = i > 0 && text.charAt(i - 1) == '\\';
                if (j - i >= 2 && !command) {
                    run++;
                    if (run >= 3) {
                        marks[j] = marks[i] + 1;
                    }
                } else {
                    run = 0;
                }
                i = j;
                continue;
            }
            if (c != ' ') {
                run = 0;
            }
            i++;
        }
        return marks;
    }
}
