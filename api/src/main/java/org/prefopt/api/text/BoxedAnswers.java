package org.prefopt.api.text;

/**
 * Finds the content of the last {@code \boxed{...}} / {@code \fbox{...}} with braces matched by counting, which
 * a regular expression cannot do ({@code \boxed{\frac{1}{2}}}). Linear in the input length.
 *
 * <p>One rule for the whole project: datasets use it to read gold answers from reference solutions, rewards to read
 * answers from completions, so both sides agree on what "the boxed answer" is.
 */
public final class BoxedAnswers {

    /** Outcome of a scan: the content, or why there is none. */
    public record Result(String content, String failure) {

        public boolean found() {
            return content != null;
        }
    }

    private static final String[] COMMANDS = {"\\boxed", "\\fbox"};

    private BoxedAnswers() {
    }

    public static Result lastBoxed(String text) {
        int bestStart = -1;
        String bestCommand = null;
        for (String command : COMMANDS) {
            int at = lastCommand(text, command);
            if (at > bestStart) {
                bestStart = at;
                bestCommand = command;
            }
        }
        if (bestStart < 0) {
            return new Result(null, "no \\boxed{} or \\fbox{} found");
        }
        // Try the last occurrence; if it is unusable (unbalanced), say so rather than silently using an earlier one:
        // a truncated final box means the model never finished its answer.
        int i = bestStart + bestCommand.length();
        int n = text.length();
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i < n && text.charAt(i) == '{') {
            int depth = 0;
            for (int j = i; j < n; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < n) {
                    j++; // skip escaped char, e.g. \{ or \}
                    continue;
                }
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        String content = text.substring(i + 1, j).trim();
                        return content.isEmpty()
                                ? new Result(null, bestCommand + "{} is empty")
                                : new Result(content, null);
                    }
                }
            }
            return new Result(null, "last " + bestCommand + "{ has unbalanced braces");
        }
        if (i > bestStart + bestCommand.length()) {
            // "\boxed 5": the argument is the next token (up to whitespace or '$').
            int j = i;
            while (j < n && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '$') {
                j++;
            }
            String content = text.substring(i, j);
            if (!content.isEmpty()) {
                return new Result(content, null);
            }
        }
        return new Result(null, "last " + bestCommand + " has no argument");
    }

    /** Last index of {@code command} not followed by a letter (so {@code \boxedfoo} does not count). */
    private static int lastCommand(String text, String command) {
        int from = text.length();
        while (true) {
            int at = text.lastIndexOf(command, from);
            if (at < 0) {
                return -1;
            }
            int after = at + command.length();
            if (after >= text.length() || !Character.isLetter(text.charAt(after))) {
                return at;
            }
            from = at - 1;
            if (from < 0) {
                return -1;
            }
        }
    }
}
