package org.prefopt.datasets.numeric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prefopt.api.text.PlainNumber;

/**
 * The "numeric answer" definition used by the {@code numeric-answer} filter and by dataset statistics. The full
 * definition, with examples, is in {@code docs/datasets.md}; in short, after light normalisation an answer is
 * numeric when it is exactly one of
 * <ul>
 *   <li>an integer: optional sign, digits, optionally grouped by thousands separators ({@code 1,234,567});</li>
 *   <li>a decimal: optional sign, optional integer part, a point, at least one digit ({@code -0.5}, {@code .75});</li>
 *   <li>a simple fraction of two integers: {@code 3/4}, {@code \frac{3}{4}}, {@code \dfrac}/{@code \tfrac}, the
 *       shorthand {@code \frac34}, with the sign in front or in the numerator; the denominator is not zero.</li>
 * </ul>
 * Normalisation removes: surrounding {@code $...$}, one enclosing {@code \boxed{...}}, whitespace and LaTeX
 * spacing ({@code \! \, \; \: \ ~}), a trailing unit {@code \text{..}}/{@code \mbox{..}}, degree marks
 * ({@code ^\circ}), a percent sign ({@code \%}), a leading dollar sign ({@code \$}), and {@code {,}} becomes
 * {@code ,}. Everything else (mixed numbers, roots, pi, variables, intervals, lists, scientific notation) is
 * not numeric. The number syntax after normalisation is {@link PlainNumber}'s, shared with the rewards.
 */
public record NumericAnswer(Kind kind, BigInteger numerator, BigInteger denominator) {

    /** The same kinds, by name, as {@link PlainNumber.Kind}. */
    public enum Kind { INTEGER, DECIMAL, FRACTION }

    private static final Pattern SPACING = Pattern.compile("\\\\[!,;: ]|~|\\s+");
    private static final Pattern TRAILING_UNIT = Pattern.compile("(.+?)\\\\(?:text|mbox|textnormal|mathrm)\\{[^{}]*\\}$");
    private static final Pattern DEGREES = Pattern.compile("\\^\\{?\\\\circ\\}?$");

    public NumericAnswer {
        // lowest terms with a positive denominator: PlainNumber's rule
        PlainNumber reduced = new PlainNumber(PlainNumber.Kind.valueOf(kind.name()), numerator, denominator);
        numerator = reduced.numerator();
        denominator = reduced.denominator();
    }

    /** The value as a (possibly rounded) decimal, for display and statistics. */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), java.math.MathContext.DECIMAL64);
    }

    public static boolean isNumeric(String answer) {
        return parse(answer).isPresent();
    }

    public static Optional<NumericAnswer> parse(String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        // The number syntax itself is the project-wide rule (PlainNumber); this class adds the normalisation.
        return PlainNumber.parse(normalise(answer))
                .map(p -> new NumericAnswer(Kind.valueOf(p.kind().name()), p.numerator(), p.denominator()));
    }

    /** The normalised text that the patterns are matched against (exposed for documentation and tests). */
    public static String normalise(String answer) {
        String s = answer.strip().replace('\u2212', '-');
        while (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.startsWith("\\boxed{") && s.endsWith("}")) {
            s = s.substring(7, s.length() - 1);
        }
        s = SPACING.matcher(s).replaceAll("");
        Matcher unit = TRAILING_UNIT.matcher(s);
        if (unit.matches()) {
            s = unit.group(1);
        }
        s = DEGREES.matcher(s).replaceAll("");
        if (s.endsWith("\\%")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("\\$")) {
            s = s.substring(2);
        } else if (s.startsWith("-\\$")) {
            s = "-" + s.substring(3);
        }
        return s.replace("{,}", ",");
    }
}
