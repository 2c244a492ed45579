package org.prefopt.rewards.equivalence;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, before anything reaches the CAS, whether a normalised expression is small and tame enough to hand
 * over: bounded length and nesting, only known LaTeX commands (an unknown command would silently become a
 * symbol), no power towers ({@code 10^{10^{10}}}), no big exponents or factorials. Then it rewrites decimals as
 * exact fractions so that the CAS never compares floating-point numbers.
 */
final class CasGuard {

    static final int MAX_CHARS = 300;
    static final int MAX_NESTING = 12;
    static final int MAX_EXPONENT = 200;
    static final int MAX_LITERAL_DIGITS = 40;

    private static final Set<String> ALLOWED_COMMANDS = Set.of(
            "frac", "sqrt", "pi", "cdot", "times", "div", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin",
            "arccos", "arctan", "log", "ln", "exp", "alpha", "beta", "gamma", "theta", "phi", "lambda", "mu",
            "sigma", "omega", "tau", "rho", "epsilon", "delta");
    private static final Pattern COMMAND = Pattern.compile("\\\\([a-zA-Z]+)");
    private static final Pattern DECIMAL = Pattern.compile("(\\d*)\\.(\\d+)");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern EXPONENT = Pattern.compile("\\^\\s*(\\{|\\(|-?\\d+|[a-zA-Z])");
    private static final Pattern FACTORIAL = Pattern.compile("(\\d+)!");
    private static final Pattern FORBIDDEN = Pattern.compile("[<>|;&\"'#@?_]|!!");

    private CasGuard() {
    }

    /** The CAS-ready LaTeX, or empty with the reason in {@code why[0]}. */
    static Optional<String> prepare(String s, String[] why) {
        if (s.isEmpty()) {
            why[0] = "empty";
            return Optional.empty();
        }
        if (s.length() > MAX_CHARS) {
            why[0] = "longer than " + MAX_CHARS + " characters";
            return Optional.empty();
        }
        if (FORBIDDEN.matcher(s).find()) {
            why[0] = "contains characters the CAS is not asked to read";
            return Optional.empty();
        }
        int depth = 0;
        int max = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '(' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ')' || c == ']') {
                if (--depth < 0) {
                    why[0] = "unbalanced brackets";
                    return Optional.empty();
                }
            }
        }
        if (depth != 0) {
            why[0] = "unbalanced brackets";
            return Optional.empty();
        }
        if (max > MAX_NESTING) {
            why[0] = "nested deeper than " + MAX_NESTING;
            return Optional.empty();
        }
        Matcher cmd = COMMAND.matcher(s);
        while (cmd.find()) {
            if (!ALLOWED_COMMANDS.contains(cmd.group(1))) {
                why[0] = "unsupported command \\" + cmd.group(1);
                return Optional.empty();
            }
        }
        Matcher digits = DIGITS.matcher(s);
        while (digits.find()) {
            if (digits.group().length() > MAX_LITERAL_DIGITS) {
                why[0] = "number literal longer than " + MAX_LITERAL_DIGITS + " digits";
                return Optional.empty();
            }
        }
        Matcher exp = EXPONENT.matcher(s);
        while (exp.find()) {
            String e = exponentText(s, exp);
            if (e == null || e.contains("^") || e.contains("!")) {
                why[0] = "power tower or unreadable exponent";
                return Optional.empty();
            }
            Matcher d = DIGITS.matcher(e);
            while (d.find()) {
                if (d.group().length() > 3 || Integer.parseInt(d.group()) > MAX_EXPONENT) {
                    why[0] = "exponent larger than " + MAX_EXPONENT;
                    return Optional.empty();
                }
            }
        }
        Matcher f = FACTORIAL.matcher(s);
        while (f.find()) {
            if (f.group(1).length() > 3 || Integer.parseInt(f.group(1)) > 100) {
                why[0] = "factorial larger than 100!";
                return Optional.empty();
            }
        }
        if (s.contains(")!") || s.contains("}!")) {
            why[0] = "factorial of an expression";
            return Optional.empty();
        }
        return Optional.of(exactDecimals(s));
    }

    private static String exponentText(String s, Matcher exp) {
        String open = exp.group(1);
        if (open.equals("{")) {
            int close = LatexNormalizer.matchingBrace(s, exp.start(1));
            return close < 0 ? null : s.substring(exp.start(1) + 1, close);
        }
        if (open.equals("(")) {
            int depth = 0;
            for (int i = exp.start(1); i < s.length(); i++) {
                if (s.charAt(i) == '(') {
                    depth++;
                } else if (s.charAt(i) == ')' && --depth == 0) {
                    return s.substring(exp.start(1) + 1, i);
                }
            }
            return null;
        }
        return open;
    }

    /** {@code 2.5x} becomes {@code (\frac{25}{10})x}: exact, so that the CAS compares rationals. */
    private static String exactDecimals(String s) {
        Matcher m = DECIMAL.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String whole = m.group(1);
            String frac = m.group(2);
            String num = (whole.isEmpty() ? "" : whole) + frac;
            m.appendReplacement(out, Matcher.quoteReplacement(
                    "(\\frac{" + num + "}{1" + "0".repeat(frac.length()) + "})"));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean hasDecimal(String s) {
        return DECIMAL.matcher(s).find();
    }
}
