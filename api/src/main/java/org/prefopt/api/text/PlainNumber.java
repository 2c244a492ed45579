package org.prefopt.api.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain number read exactly: an integer, a decimal or a simple fraction of two integers, kept as a fraction in
 * lowest terms with a positive denominator.
 *
 * <p>One rule for the whole project: datasets use it to decide which gold answers are numeric (the
 * {@code numeric-answer} filter and dataset statistics), rewards to compare numbers exactly, so both agree on
 * what "a plain number" is. Each caller normalises its text first (whitespace, LaTeX spacing, units) and adds its
 * own extras on top (rewards: scientific notation).
 *
 * <p>The text must be exactly one of (no whitespace anywhere):
 * <ul>
 *   <li>{@link Kind#INTEGER}: optional sign, digits, optionally grouped by comma thousands separators
 *       ({@code 1,234,567}; every group after the first has exactly three digits);</li>
 *   <li>{@link Kind#DECIMAL}: optional sign, optional integer part (grouped as above), a point, at least one
 *       digit ({@code -0.5}, {@code .75}, {@code 1,000.5});</li>
 *   <li>{@link Kind#FRACTION}: {@code a/b} or {@code \frac{a}{b}} ({@code \dfrac}, {@code \tfrac}, and the
 *       shorthand {@code \frac34}), a and b integers without separators, the sign in front or in a part (but not
 *       both: {@code -\frac{-3}{4}} is not plain); b is not zero.</li>
 * </ul>
 * Texts with more than {@link #MAX_DIGITS} digits are refused, so no input builds a huge number.
 *
 * @param kind        which form the text had
 * @param numerator   the numerator in lowest terms (carries the sign)
 * @param denominator the denominator in lowest terms, positive
 */
public record PlainNumber(Kind kind, BigInteger numerator, BigInteger denominator) {

    public enum Kind { INTEGER, DECIMAL, FRACTION }

    /** Most digits a plain number may have (far beyond any real answer; bounds the work per text). */
    public static final int MAX_DIGITS = 1000;

    private static final String GROUPED = "(?:\\d{1,3}(?:,\\d{3})+|\\d+)";
    private static final Pattern INTEGER = Pattern.compile("([+-]?)(" + GROUPED + ")");
    private static final Pattern DECIMAL = Pattern.compile("([+-]?)(" + GROUPED + ")?\\.(\\d+)");
    private static final Pattern SLASH = Pattern.compile("([+-]?)(\\d+)/([+-]?\\d+)");
    private static final Pattern FRAC = Pattern.compile(
            "([+-]?)\\\\[dt]?frac(?:\\{([+-]?\\d+)\\}\\{([+-]?\\d+)\\}|(\\d)(\\d))");

    public PlainNumber {
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        BigInteger g = numerator.gcd(denominator);
        if (g.signum() > 0 && !g.equals(BigInteger.ONE)) {
            numerator = numerator.divide(g);
            denominator = denominator.divide(g);
        }
    }

    /** The value of {@code text}, or empty when it is not exactly a plain number. */
    public static Optional<PlainNumber> parse(String text) {
        if (text == null || text.isEmpty() || tooManyDigits(text)) {
            return Optional.empty();
        }
        Matcher m = INTEGER.matcher(text);
        if (m.matches()) {
            return Optional.of(new PlainNumber(Kind.INTEGER, signed(m.group(1), new BigInteger(ungrouped(m.group(2)))),
                    BigInteger.ONE));
        }
        m = DECIMAL.matcher(text);
        if (m.matches()) {
            String whole = m.group(2) == null ? "0" : ungrouped(m.group(2));
            BigDecimal d = new BigDecimal(whole + "." + m.group(3));
            return Optional.of(new PlainNumber(Kind.DECIMAL, signed(m.group(1), d.unscaledValue()),
                    BigInteger.TEN.pow(d.scale())));
        }
        m = SLASH.matcher(text);
        if (m.matches()) {
            return fraction(m.group(1), m.group(2), m.group(3));
        }
        m = FRAC.matcher(text);
        if (m.matches()) {
            return m.group(2) != null ? fraction(m.group(1), m.group(2), m.group(3))
                    : fraction(m.group(1), m.group(4), m.group(5));
        }
        return Optional.empty();
    }

    /** Whether the value is a whole number. */
    public boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    @Override
    public String toString() {
        return isInteger() ? numerator.toString() : numerator + "/" + denominator;
    }

    private static boolean tooManyDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i)) && ++digits > MAX_DIGITS) {
                return true;
            }
        }
        return false;
    }

    private static Optional<PlainNumber> fraction(String sign, String num, String den) {
        BigInteger n = new BigInteger(num.startsWith("+") ? num.substring(1) : num);
        BigInteger d = new BigInteger(den.startsWith("+") ? den.substring(1) : den);
        if (d.signum() == 0) {
            return Optional.empty();
        }
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        if ("-".equals(sign)) {
            if (n.signum() < 0 && num.startsWith("-")) {
                return Optional.empty(); // "-\frac{-3}{4}": a double sign is not a plain number
            }
            n = n.negate();
        }
        return Optional.of(new PlainNumber(Kind.FRACTION, n, d));
    }

    private static String ungrouped(String grouped) {
        return grouped.replace(",", "");
    }

    private static BigInteger signed(String sign, BigInteger v) {
        return "-".equals(sign) ? v.negate() : v;
    }
}
