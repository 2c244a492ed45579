package org.prefopt.rewards.equivalence;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites an answer into a canonical LaTeX-ish string: no math delimiters, spacing commands, {@code \left}/
 * {@code \right}, text wrappers, units, degree or percent signs, dollar signs; {@code \dfrac}/{@code \tfrac}
 * become {@code \frac}, {@code \frac12} becomes {@code \frac{1}{2}}; whitespace is removed. Purely textual and
 * linear-time per pass; the meaning of the mathematics is left to {@link NumberParser} and the CAS.
 */
public final class LatexNormalizer {

    private static final Pattern LEFT_RIGHT = Pattern.compile("\\\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![a-zA-Z])\\.?");
    private static final Pattern SPACING = Pattern.compile(
            "(?<!\\\\)\\\\[!,;: ]|\\\\(?:quad|qquad|displaystyle|textstyle|scriptstyle|limits)(?![a-zA-Z])|~");
    private static final Pattern FRAC_ALIASES = Pattern.compile("\\\\(?:dfrac|tfrac|cfrac)(?![a-zA-Z])");
    private static final Pattern DEGREES = Pattern.compile("\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ|\\\\circ(?![a-zA-Z])|°|\\\\degree(?![a-zA-Z])");
    private static final Pattern PERCENT_DOLLAR = Pattern.compile("\\\\%|%|\\\\\\$|\\$");
    private static final Pattern FRAC_DIGITS = Pattern.compile("\\\\frac\\s*(\\d)\\s*(\\d)");
    private static final Pattern FRAC_DIGIT_BRACE = Pattern.compile("\\\\frac\\s*(\\d)\\s*\\{");
    private static final Pattern FRAC_BRACE_DIGIT = Pattern.compile("\\\\frac\\s*(\\{[^{}]*\\})\\s*(\\d)");
    private static final Pattern SQRT_TOKEN = Pattern.compile("\\\\sqrt\\s*(\\d|[a-zA-Z](?![a-zA-Z]))");
    private static final Pattern TEXT_WRAPPER = Pattern.compile(
            "\\\\(?:text|textbf|textit|textrm|textnormal|mathrm|mathbf|mathit|mbox|operatorname)\\s*\\{");
    /** A unit-like word after a number, e.g. "18 dollars", "5 cm^2", "3 square feet". */
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile(
            "^([-+]?(?:\\d[\\d,]*(?:\\.\\d+)?|\\.\\d+))\\s+[a-zA-Z]{2,}(?:[ \\-][a-zA-Z]+){0,3}(?:\\^\\{?[23]\\}?)?\\.?$");
    private static final Pattern TRAILING_TEXT_UNIT = Pattern.compile("^(.*?[\\d}])\\s*\\\\(?:text|mbox|mathrm)\\s*\\{\\s*[a-zA-Z][a-zA-Z .]*\\}(?:\\^\\{?[23]\\}?)?$");
    private static final Pattern THOUSANDS = Pattern.compile("^[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern COMMAND_THEN_LETTER = Pattern.compile("(\\\\[a-zA-Z]+)\\s+(?=[a-zA-Z])");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CHOICE = Pattern.compile("^\\(([A-E])\\)$");

    private LatexNormalizer() {
    }

    public static String normalize(String answer) {
        if (answer == null) {
            return "";
        }
        String s = answer.trim();
        s = stripDelimiters(s);
        s = s.replace("\\{,\\}", ",").replace("{,}", ",");
        s = LEFT_RIGHT.matcher(s).replaceAll("");
        s = SPACING.matcher(s).replaceAll(" ");
        s = FRAC_ALIASES.matcher(s).replaceAll("\\\\frac");
        s = s.replace("\\dbinom", "\\binom").replace("\\tbinom", "\\binom");
        s = DEGREES.matcher(s).replaceAll("");
        Matcher unit = TRAILING_TEXT_UNIT.matcher(s);
        if (unit.matches()) {
            s = unit.group(1);
        }
        s = unwrapText(s);
        s = PERCENT_DOLLAR.matcher(s).replaceAll("");
        s = s.trim();
        Matcher numberUnit = NUMBER_WITH_UNIT.matcher(s);
        if (numberUnit.matches()) {
            s = numberUnit.group(1);
        }
        s = FRAC_DIGITS.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        s = FRAC_DIGIT_BRACE.matcher(s).replaceAll("\\\\frac{$1}{");
        s = FRAC_BRACE_DIGIT.matcher(s).replaceAll("\\\\frac$1{$2}");
        s = SQRT_TOKEN.matcher(s).replaceAll("\\\\sqrt{$1}");
        // "\\cdot y" must not become "\\cdoty": keep one space where a command meets a letter.
        s = COMMAND_THEN_LETTER.matcher(s).replaceAll("$1\u0001");
        s = WHITESPACE.matcher(s).replaceAll("").replace('\u0001', ' ');
        while (s.endsWith(".") || s.endsWith("\\\\")) {
            s = s.substring(0, s.length() - (s.endsWith(".") ? 1 : 2));
        }
        s = stripOuterBraces(s);
        if (THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        Matcher choice = CHOICE.matcher(s);
        if (choice.matches()) {
            s = choice.group(1);
        }
        return s;
    }

    private static String stripDelimiters(String s) {
        boolean changed = true;
        while (changed) {
            changed = false;
            if (s.length() >= 4 && s.startsWith("$$") && s.endsWith("$$")) {
                s = s.substring(2, s.length() - 2).trim();
                changed = true;
            } else if (s.length() >= 2 && s.startsWith("$") && s.endsWith("$") && s.indexOf('$', 1) == s.length() - 1) {
                s = s.substring(1, s.length() - 1).trim();
                changed = true;
            } else if (s.length() >= 4 && (s.startsWith("\\(") && s.endsWith("\\)") || s.startsWith("\\[") && s.endsWith("\\]"))) {
                s = s.substring(2, s.length() - 2).trim();
                changed = true;
            }
        }
        return s;
    }

    /** Replaces {@code \text{abc}} by {@code abc}, matching braces; an unbalanced wrapper is left as it is. */
    static String unwrapText(String s) {
        StringBuilder out = new StringBuilder(s.length());
        Matcher m = TEXT_WRAPPER.matcher(s);
        int pos = 0;
        while (m.find(pos)) {
            int open = m.end() - 1;
            int close = matchingBrace(s, open);
            if (close < 0) {
                break;
            }
            out.append(s, pos, m.start());
            out.append(s, open + 1, close);
            pos = close + 1;
        }
        out.append(s, pos, s.length());
        return out.toString();
    }

    /** Index of the '}' matching the '{' at {@code open}, or -1. Escaped braces do not count. */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String stripOuterBraces(String s) {
        while (s.length() >= 2 && s.charAt(0) == '{' && matchingBrace(s, 0) == s.length() - 1) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }
}
