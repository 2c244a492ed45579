package org.prefopt.rewards.equivalence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a normalised answer as an exact rational when it is a plain number: an integer or decimal with an
 * optional sign, scientific notation ({@code 1.5e3}, {@code 1.5\times10^{3}}), or a fraction of integers
 * ({@code \frac{3}{4}}, {@code -\frac{3}{4}}, {@code 3/4}). Anything else is "not a plain number" (empty).
 * Exponents and digit counts are capped so that no input builds a huge number.
 */
public final class NumberParser {

    /** Largest |exponent| accepted in scientific notation. */
    static final int MAX_EXPONENT = 1000;
    /** Longest digit string accepted. */
    static final int MAX_DIGITS = 400;

    private static final String DEC = "[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern DECIMAL = Pattern.compile("(" + DEC + ")(?:[eE]([-+]?\\d{1,6}))?");
    private static final Pattern TIMES_TEN = Pattern.compile(
            "(" + DEC + ")(?:\\\\times|\\\\cdot|\\*|x)10\\^(?:\\{([-+]?\\d{1,6})\\}|([-+]?\\d))");
    private static final Pattern FRAC = Pattern.compile("([-+]?)\\\\frac\\{(" + DEC + ")\\}\\{(" + DEC + ")\\}");
    private static final Pattern SLASH = Pattern.compile("(" + DEC + ")/(" + DEC + ")");

    private NumberParser() {
    }

    /** The value of {@code normalized} (output of {@link LatexNormalizer}), or empty if it is not a plain number. */
    public static Optional<Rational> parse(String normalized) {
        if (normalized.isEmpty() || normalized.length() > MAX_DIGITS + 40) {
            return Optional.empty();
        }
        try {
            Matcher m = DECIMAL.matcher(normalized);
            if (m.matches()) {
                return decimal(m.group(1), m.group(2));
            }
            m = TIMES_TEN.matcher(normalized);
            if (m.matches()) {
                return decimal(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            }
            m = FRAC.matcher(normalized);
            if (m.matches()) {
                return fraction(m.group(2), m.group(3), "-".equals(m.group(1)));
            }
            m = SLASH.matcher(normalized);
            if (m.matches()) {
                return fraction(m.group(1), m.group(2), false);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Rational> decimal(String mantissa, String exponent) {
        if (mantissa.equals("+") || mantissa.equals("-") || mantissa.equals(".")) {
            return Optional.empty();
        }
        BigDecimal d = new BigDecimal(mantissa.endsWith(".") ? mantissa.substring(0, mantissa.length() - 1) : mantissa);
        if (exponent != null) {
            int e = Integer.parseInt(exponent.startsWith("+") ? exponent.substring(1) : exponent);
            if (Math.abs(e) > MAX_EXPONENT) {
                return Optional.empty();
            }
            d = d.scaleByPowerOfTen(e);
        }
        return Optional.of(Rational.of(d));
    }

    private static Optional<Rational> fraction(String num, String den, boolean negate) {
        Optional<Rational> n = decimal(num, null);
        Optional<Rational> d = decimal(den, null);
        if (n.isEmpty() || d.isEmpty() || d.get().numerator().equals(BigInteger.ZERO)) {
            return Optional.empty();
        }
        Rational r = n.get().divide(d.get());
        return Optional.of(negate ? r.negate() : r);
    }
}
