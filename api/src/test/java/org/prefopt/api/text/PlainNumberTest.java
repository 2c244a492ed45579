package org.prefopt.api.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one "plain number" rule, against values worked out by hand. */
class PlainNumberTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "42|INTEGER|42|1",
            "-7|INTEGER|-7|1",
            "1,234,567|INTEGER|1234567|1",
            "-0.5|DECIMAL|-1|2",
            ".75|DECIMAL|3|4",
            "1,000.5|DECIMAL|2001|2",
            "6/8|FRACTION|3|4",
            "-3/4|FRACTION|-3|4",
            "3/-4|FRACTION|-3|4",
            "\\frac{10}{4}|FRACTION|5|2",
            "\\dfrac{1}{3}|FRACTION|1|3",
            "-\\tfrac{2}{6}|FRACTION|-1|3",
            "\\frac34|FRACTION|3|4"})
    void readsTheValueExactlyInLowestTerms(String text, PlainNumber.Kind kind, String num, String den) {
        PlainNumber n = PlainNumber.parse(text).orElseThrow(() -> new AssertionError(text + " is plain"));
        assertEquals(kind, n.kind(), text);
        assertEquals(new BigInteger(num), n.numerator(), text);
        assertEquals(new BigInteger(den), n.denominator(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1 000", "12,34", "1,2345", "3/0", "\\frac{1}{0}", "-\\frac{-3}{4}", "1e5", "x",
            "2\\sqrt{2}", "1.2.3", "+", "."})
    void refusesWhatIsNotAPlainNumber(String text) {
        assertTrue(PlainNumber.parse(text).isEmpty(), text);
    }

    @Test
    void refusesMoreDigitsThanTheCap() {
        assertTrue(PlainNumber.parse("9".repeat(PlainNumber.MAX_DIGITS)).isPresent());
        assertTrue(PlainNumber.parse("9".repeat(PlainNumber.MAX_DIGITS + 1)).isEmpty());
    }
}
