package org.prefopt.rewards.equivalence;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites an answer into a canonical LaTeX-ish string: no math delimiters, spacing commands, {@code \left}/
 * {@code \right}, text wrappers, units, degree or percent signs, dollar signs, GSM8K calculator annotations;
 * {@code \dfrac}/{@code \tfrac}/{@code \cfrac} become {@code \frac}, {@code \frac12} becomes {@code \frac{1}{2}};
 * Unicode symbols become LaTeX and every relation has one spelling ({@code >=}, {@code \ge} become
 * {@code \geq}); "or"/"and" between alternatives become commas; whitespace is removed. Purely textual and
 * linear-time per pass; the meaning of the mathematics is left to {@link AnswerStructure}, {@link NumberParser}
 * and the CAS.
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
    private static final Pattern TRAILING_TEXT_UNIT = Pattern.compile("^(.*?[\\d}])\\s*\\\\(?:text|textbf|textit|textrm|mbox|mathrm)\\s*\\{\\s*[a-zA-Z][a-zA-Z .]*\\}(?:\\^\\{?[23]\\}?)?$");
    private static final Pattern THOUSANDS = Pattern.compile("^[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern COMMAND_THEN_LETTER = Pattern.compile("(\\\\[a-zA-Z]+)\\s+(?=[a-zA-Z])");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CHOICE = Pattern.compile("^\\(([A-E])\\)$");
    /** Unicode forms models write, as the LaTeX the rest of the pipeline reads (thin/no-break spaces as spaces). */
    private static final Map<String, String> UNICODE = Map.ofEntries(
            Map.entry("\u2212", "-"), Map.entry("\u2264", "\\leq "), Map.entry("\u2265", "\\geq "),
            Map.entry("\u2260", "\\neq "), Map.entry("\u00d7", "\\times "), Map.entry("\u00b7", "\\cdot "),
            Map.entry("\u00f7", "\\div "), Map.entry("\u03c0", "\\pi "), Map.entry("\u221e", "\\infty "),
            Map.entry("\u2009", " "), Map.entry("\u202f", " "), Map.entry("\u00a0", " "));
    /** GSM8K's calculator annotations ({@code <<9*2=18>>}), which models trained on GSM8K copy. */
    private static final Pattern CALCULATOR = Pattern.compile("<<[^<>\\n]{0,200}>>");
    private static final Pattern ASCII_RELATIONS = Pattern.compile(">=|<=|!=");
    private static final Pattern GEQ = Pattern.compile("\\\\(?:geqslant|geq|ge)(?![a-zA-Z])");
    private static final Pattern LEQ = Pattern.compile("\\\\(?:leqslant|leq|le)(?![a-zA-Z])");
    private static final Pattern NEQ = Pattern.compile("\\\\(?:neq|ne)(?![a-zA-Z])");
    private static final Pattern LT_GT = Pattern.compile("\\\\([lg])t(?![a-zA-Z])");
    /** "1 \text{ or } 2", "x = 1 and x = 2": alternatives, read as a list. */
    private static final Pattern TEXT_CONNECTOR = Pattern.compile(
            "\\\\(?:text|textrm|mbox|mathrm)\\s*\\{\\s*(?:or|and)\\s*\\}");
    private static final Pattern WORD_CONNECTOR = Pattern.compile("\\s+(?:or|and)\\s+");

    private LatexNormalizer() {
    }

    public static String normalize(String answer) {
        if (answer == null) {
            return "";
        }
        String s = answer.trim();
        for (Map.Entry<String, String> u : UNICODE.entrySet()) {
            if (s.contains(u.getKey())) {
                s = s.replace(u.getKey(), u.getValue());
            }
        }
        s = stripDelimiters(s.trim());
        if (s.contains("<<")) {
            s = CALCULATOR.matcher(s).replaceAll("");
        }
        s = s.replace("\\{,\\}", ",").replace("{,}", ",");
        s = LEFT_RIGHT.matcher(s).replaceAll("");
        s = SPACING.matcher(s).replaceAll(" ");
        s = relations(s);
        s = TEXT_CONNECTOR.matcher(s).replaceAll(",");
        s = FRAC_ALIASES.matcher(s).replaceAll("\\\\frac");
        s = s.replace("\\dbinom", "\\binom").replace("\\tbinom", "\\binom");
        s = DEGREES.matcher(s).replaceAll("");
        Matcher unit = TRAILING_TEXT_UNIT.matcher(s);
        if (unit.matches()) {
            s = unit.group(1);
        }
        s = unwrapText(s);
        s = WORD_CONNECTOR.matcher(s).replaceAll(",");
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
        s = s.replace("+\\infty", "\\infty").replace("\\varnothing", "\\emptyset").replace("\\{\\}", "\\emptyset");
        if (THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        Matcher choice = CHOICE.matcher(s);
        if (choice.matches()) {
            s = choice.group(1);
        }
        return s;
    }

    /**
     * One spelling per relation: {@code <}, {@code >}, {@code \\leq}, {@code \\geq}, {@code \\neq} (from {@code <=},
     * {@code \\le}, {@code \\leqslant}, {@code \\lt}, ...). A space after each command keeps it apart from a
     * following letter.
     */
    private static String relations(String s) {
        if (s.indexOf('<') >= 0 || s.indexOf('>') >= 0 || s.contains("!=")) {
            Matcher m = ASCII_RELATIONS.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String r = switch (m.group()) {
                    case ">=" -> "\\geq ";
                    case "<=" -> "\\leq ";
                    default -> "\\neq ";
                };
                m.appendReplacement(out, Matcher.quoteReplacement(r));
            }
            m.appendTail(out);
            s = out.toString();
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        s = GEQ.matcher(s).replaceAll("\\\\geq ");
        s = LEQ.matcher(s).replaceAll("\\\\leq ");
        s = NEQ.matcher(s).replaceAll("\\\\neq ");
        return LT_GT.matcher(s).replaceAll(r -> r.group(1).equals("l") ? "<" : ">");
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
