package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prefopt.datasets.numeric.NumericAnswer;

/** The numeric-answer definition of docs/datasets.md, case by case. */
class NumericAnswerTest {

    @ParameterizedTest(name = "[{0}] -> {1} {2}/{3}")
    @CsvSource(delimiter = '|', value = {
            // answer                  | kind     | numerator | denominator
            "18                        | INTEGER  | 18        | 1",
            "-7                        | INTEGER  | -7        | 1",
            "+3                        | INTEGER  | 3         | 1",
            "0                         | INTEGER  | 0         | 1",
            "1,234,567                 | INTEGER  | 1234567   | 1",
            "10{,}000                  | INTEGER  | 10000     | 1",
            "10,\\!000                 | INTEGER  | 10000     | 1",
            "$42$                      | INTEGER  | 42        | 1",
            "\\boxed{42}               | INTEGER  | 42        | 1",
            "180\\text{ miles}         | INTEGER  | 180       | 1",
            "30^\\circ                 | INTEGER  | 30        | 1",
            "45^{\\circ}               | INTEGER  | 45        | 1",
            "50\\%                     | INTEGER  | 50        | 1",
            "\\$18.90                  | DECIMAL  | 189       | 10",
            "0.5                       | DECIMAL  | 1         | 2",
            ".75                       | DECIMAL  | 3         | 4",
            "-2.50                     | DECIMAL  | -5        | 2",
            "1,000.5                   | DECIMAL  | 2001      | 2",
            "3/4                       | FRACTION | 3         | 4",
            "-3/4                      | FRACTION | -3        | 4",
            "6/8                       | FRACTION | 3         | 4",
            "\\frac{3}{4}              | FRACTION | 3         | 4",
            "\\dfrac{9}{7}             | FRACTION | 9         | 7",
            "\\tfrac{1}{2}             | FRACTION | 1         | 2",
            "-\\frac{3}{4}             | FRACTION | -3        | 4",
            "\\frac{-3}{4}             | FRACTION | -3        | 4",
            "\\frac34                  | FRACTION | 3         | 4",
            "\\frac{ 1 }{ 2 }          | FRACTION | 1         | 2",
            "\\frac{4}{2}              | FRACTION | 2         | 1",
    })
    void numeric(String answer, NumericAnswer.Kind kind, String num, String den) {
        Optional<NumericAnswer> n = NumericAnswer.parse(answer);
        assertTrue(n.isPresent(), () -> "expected numeric: " + answer + " (normalised '"
                + NumericAnswer.normalise(answer) + "')");
        assertEquals(kind, n.get().kind());
        assertEquals(new BigInteger(num), n.get().numerator());
        assertEquals(new BigInteger(den), n.get().denominator());
    }

    @ParameterizedTest(name = "[{0}] is not numeric")
    @CsvSource(delimiter = '|', value = {
            "x + 1", "5x + 4", "\\sqrt{2}", "2\\sqrt{3}", "\\pi", "3\\pi", "1\\frac{1}{2}", "(1, 2)", "[0, 1)",
            "1,2", "1,23", "1000,000", "1e5", "5.", "1/0", "\\frac{1}{0}", "x = 5", "\\text{(A)}", "i", "2 + 3i",
            "-\\frac{-3}{4}", "--5", "\\infty", "12:30", "'  '", "\\frac{\\sqrt{3}}{2}", "3/4/5",
    })
    void notNumeric(String answer) {
        String a = answer.equals("'  '") ? "  " : answer;
        assertEquals(Optional.empty(), NumericAnswer.parse(a), () -> "normalised '" + NumericAnswer.normalise(a) + "'");
    }
}
