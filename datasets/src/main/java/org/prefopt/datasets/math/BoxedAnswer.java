package org.prefopt.datasets.math;

import java.util.Optional;

/**
 * Extracts the content of the last {@code \boxed{...}} or {@code \fbox{...}} in a MATH solution, matching braces
 * (escaped braces {@code \{ \}} do not count). Also accepts the brace-less form {@code \boxed 5}, whose content runs
 * to the next whitespace or {@code $}, as the reference MATH evaluation code does.
 */
public final class BoxedAnswer {

    private static final String[] COMMANDS = {"\\boxed", "\\fbox"};

    private BoxedAnswer() {
    }

    public static Optional<String> last(String solution) {
        if (solution == null) {
            return Optional.empty();
        }
        int at = -1;
        String command = null;
        for (String c : COMMANDS) {
            int i = lastCommand(solution, c);
            if (i > at) {
                at = i;
                command = c;
            }
        }
        if (at < 0) {
            return Optional.empty();
        }
        int i = at + command.length();
        int n = solution.length();
        if (i < n && solution.charAt(i) == '{') {
            return braced(solution, i);
        }
        int j = i;
        while (j < n && solution.charAt(j) == ' ') {
            j++;
        }
        if (j == i) {
            return Optional.empty();
        }
        if (j < n && solution.charAt(j) == '{') {
            return braced(solution, j);
        }
        int k = j;
        while (k < n && !Character.isWhitespace(solution.charAt(k)) && solution.charAt(k) != '$') {
            k++;
        }
        return k > j ? Optional.of(solution.substring(j, k)) : Optional.empty();
    }

    /** Last index of {@code command} not followed by a letter (so {@code \boxedfoo} is not {@code \boxed}). */
    private static int lastCommand(String s, String command) {
        int from = s.length();
        while (true) {
            int i = s.lastIndexOf(command, from);
            if (i < 0) {
                return -1;
            }
            int end = i + command.length();
            if (end >= s.length() || !Character.isLetter(s.charAt(end))) {
                return i;
            }
            from = i - 1;
        }
    }

    private static Optional<String> braced(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // skip the escaped character, e.g. \{ or \}
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return Optional.of(s.substring(open + 1, i).strip());
                }
            }
        }
        return Optional.empty(); // unbalanced
    }
}
