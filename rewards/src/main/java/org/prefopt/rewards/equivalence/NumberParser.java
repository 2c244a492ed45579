package org.prefopt.rewards.equivalence;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prefopt.api.text.PlainNumber;

/**
 * Reads a normalised answer as an exact rational when it is a plain number. The plain forms (integers with
 * optional thousands groups, decimals, fractions of integers such as {@code \frac{3}{4}}, {@code -\frac{3}{4}},
 * {@code 3/4}) are the project-wide rule of {@link PlainNumber}, shared with the datasets' numeric-answer
 * definition; this class adds scientific notation ({@code 1.5e3}, {@code 1.5\times10^{3}}) and mixed numbers
 * ({@code 2\frac{1}{2}} is 5/2, as MATH's answers and Math-Verify mean it; only with a proper fraction, so
 * {@code 2\frac{3}{2}} stays a product for the CAS). Anything else is "not a plain number" (empty). Exponents and
 * lengths are capped so that no input builds a huge number.
 */
public final class NumberParser {

    /** Largest |exponent| accepted in scientific notation. */
    static final int MAX_EXPONENT = 1000;
    /** Longest text looked at; longer texts are not plain numbers (PlainNumber caps digits as well). */
    static final int MAX_CHARS = PlainNumber.MAX_DIGITS + 40;

    private static final String MANTISSA = "[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern E_NOTATION = Pattern.compile("(" + MANTISSA + ")[eE]([-+]?\\d{1,6})");
    private static final Pattern TIMES_TEN = Pattern.compile(
            "(" + MANTISSA + ")(?:\\\\times|\\\\cdot|\\*|x)10\\^(?:\\{([-+]?\\d{1,6})\\}|([-+]?\\d))");
    private static final Pattern MIXED = Pattern.compile("([-+]?)(\\d+)(\\\\frac\\{\\d+\\}\\{\\d+\\})");

    private NumberParser() {
    }

    /** The value of {@code normalized} (output of {@link LatexNormalizer}), or empty if it is not a plain number. */
    public static Optional<Rational> parse(String normalized) {
        if (normalized.isEmpty() || normalized.length() > MAX_CHARS) {
            return Optional.empty();
        }
        Optional<PlainNumber> plain = PlainNumber.parse(normalized);
        if (plain.isPresent()) {
            return Optional.of(new Rational(plain.get().numerator(), plain.get().denominator()));
        }
        Matcher m = E_NOTATION.matcher(normalized);
        if (m.matches()) {
            return scientific(m.group(1), m.group(2));
        }
        m = TIMES_TEN.matcher(normalized);
        if (m.matches()) {
            return scientific(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        m = MIXED.matcher(normalized);
        if (m.matches()) {
            return mixed(m.group(1), m.group(2), m.group(3));
        }
        return Optional.empty();
    }

    private static Optional<Rational> mixed(String sign, String whole, String fraction) {
        Optional<PlainNumber> f = PlainNumber.parse(fraction);
        if (f.isEmpty() || f.get().numerator().compareTo(f.get().denominator()) >= 0 || whole.length() > MAX_CHARS) {
            return Optional.empty();
        }
        Rational r = new Rational(new BigInteger(whole).multiply(f.get().denominator()).add(f.get().numerator()),
                f.get().denominator());
        return Optional.of("-".equals(sign) ? r.negate() : r);
    }

    private static Optional<Rational> scientific(String mantissa, String exponent) {
        // "2." is a mantissa in scientific notation ("2.e3") but not a plain number on its own.
        String digits = mantissa.endsWith(".") ? mantissa.substring(0, mantissa.length() - 1) : mantissa;
        Optional<PlainNumber> m = PlainNumber.parse(digits);
        int e = Integer.parseInt(exponent.startsWith("+") ? exponent.substring(1) : exponent);
        if (m.isEmpty() || Math.abs(e) > MAX_EXPONENT) {
            return Optional.empty();
        }
        BigInteger scale = BigInteger.TEN.pow(Math.abs(e));
        Rational r = new Rational(m.get().numerator(), m.get().denominator());
        return Optional.of(e >= 0 ? r.multiply(new Rational(scale, BigInteger.ONE))
                : r.divide(new Rational(scale, BigInteger.ONE)));
    }
}
