package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.rewards.extraction.AnswerExtractor;
import org.prefopt.rewards.extraction.AnswerPattern;
import org.prefopt.rewards.extraction.Extraction;

class ExtractionTest {

    private static final AnswerExtractor ALL = new AnswerExtractor(List.of(AnswerPattern.values()));

    @Test
    void boxedMatchesNestedBracesAndTakesTheLast() {
        Extraction e = ALL.extract("a \\boxed{1} then \\boxed{\\frac{1}{\\sqrt{2}}} end");
        assertEquals("\\frac{1}{\\sqrt{2}}", e.answer());
        assertEquals(AnswerPattern.BOXED, e.pattern());
    }

    @Test
    void boxedWithoutBracesAndFbox() {
        assertEquals("5", ALL.extract("so \\boxed 5 done").answer());
        assertEquals("7", ALL.extract("\\fbox{7}").answer());
        assertEquals("\\{1,2\\}", ALL.extract("\\boxed{\\{1,2\\}}").answer());
    }

    @Test
    void patternOrderIsConfigurable() {
        String text = "#### 12\nThe answer is 13.";
        assertEquals("12", new AnswerExtractor(List.of(AnswerPattern.HASHES, AnswerPattern.ANSWER_IS)).extract(text).answer());
        assertEquals("13", new AnswerExtractor(List.of(AnswerPattern.ANSWER_IS, AnswerPattern.HASHES)).extract(text).answer());
    }

    @Test
    void phrasesAreCleaned() {
        assertEquals("42", ALL.extract("The final answer is $42$. I hope it is correct.").answer());
        assertEquals("3.5", new AnswerExtractor(List.of(AnswerPattern.ANSWER_IS)).extract("So the answer is 3.5.").answer());
        assertEquals("(1,2)", ALL.extract("Answer: $(1,2)$").answer());
    }

    @Test
    void lastNumberIsOnlyALastResort() {
        AnswerExtractor e = new AnswerExtractor(List.of(AnswerPattern.BOXED, AnswerPattern.LAST_NUMBER));
        Extraction x = e.extract("we get 1,234 and -5.5 items");
        assertEquals("-5.5", x.answer());
        assertEquals(AnswerPattern.LAST_NUMBER, x.pattern());
    }

    @Test
    void lastMathReadsEveryDelimiterAndSkipsCurrency() {
        AnswerExtractor math = new AnswerExtractor(List.of(AnswerPattern.LAST_MATH));
        assertEquals("\\frac{1}{3}", math.extract("so $a=1$ and then $\\frac{1}{3}$.").answer());
        assertEquals("x", math.extract("first \\(y\\) then \\[x\\]").answer());
        assertEquals("2", math.extract("$$1$$ and $$ 2 $$ end").answer());
        assertEquals("\\frac{15}{2}", math.extract("It costs $5 per apple and the total is $\\frac{15}{2}$").answer());
        assertNull(math.extract("It costs $20 and then $30 in total").answer(), "a $ before a digit does not close");
        assertNull(math.extract("Answer $ \n 9 \n $").answer(), "inline math does not cross lines");
        assertEquals("9", math.extract("Answer $$ \n 9 \n $$").answer(), "display math may");
        assertEquals("\\frac{1}{2} \\$ = 3", math.extract("Answer $ \\frac{1}{2} \\$ = 3 $").answer(), "escaped dollar");
        assertEquals("18 \\text{ square feet}", math.extract("area $18 \\text{ square feet}$").answer());
        assertEquals("no math-mode expression ($...$, \\(...\\), \\[...\\]) found", math.extract("x = 5").failure());
    }

    @Test
    void phrasesAroundMathAndSentences() {
        AnswerExtractor phrases = new AnswerExtractor(List.of(AnswerPattern.FINAL_ANSWER, AnswerPattern.ANSWER_IS));
        assertEquals("x = 3", phrases.extract("The answer is $x = 3$ meters.").answer());
        assertEquals("120", phrases.extract("Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.").answer());
        assertEquals("[2, 5)", phrases.extract("The answer is the interval $[2, 5)$.").answer());
        assertEquals("18 dollars", phrases.extract("The answer is 18 dollars.").answer());
    }

    @Test
    void lastNumberTakesThousandsGroupsButNothingInsideAWord() {
        AnswerExtractor last = new AnswerExtractor(List.of(AnswerPattern.LAST_NUMBER));
        assertEquals("1000", last.extract("The total is 1 000.").answer());
        assertEquals("1000", last.extract("The total is 1\u2009000.").answer());
        assertEquals("12000023", last.extract("it is 12,\\!000,\\!023 coins").answer());
        assertEquals("10000", last.extract("it is $10{,}000").answer());
        assertEquals("100", last.extract("In 2023 there were 100 people").answer());
        assertEquals("2/3", last.extract("the probability is 2/3.").answer());
        assertEquals("-5", last.extract("it is \u22125").answer());
        assertEquals("1000.99", last.extract("which is 1,000.99m\u00b2").answer());
        assertNull(last.extract("The code is AZYUK2A").answer());
        assertNull(last.extract("see x2 and H2O").answer());
        assertEquals("7", last.extract("item 7 of x2").answer());
    }

    @Test
    void failuresSayWhy() {
        AnswerExtractor boxedOnly = new AnswerExtractor(List.of(AnswerPattern.BOXED));
        assertEquals("empty completion", boxedOnly.extract("  ").failure());
        assertEquals("no \\boxed{} or \\fbox{} found", boxedOnly.extract("the answer is 5").failure());
        assertEquals("last \\boxed{ has unbalanced braces", boxedOnly.extract("\\boxed{\\frac{1}{2}").failure());
        assertEquals("\\boxed{} is empty", boxedOnly.extract("\\boxed{ }").failure());
        Extraction none = new AnswerExtractor(List.of(AnswerPattern.HASHES, AnswerPattern.LAST_NUMBER)).extract("no digits");
        assertFalse(none.isPresent());
        assertNull(none.answer());
        assertEquals("no '####' found; no number found", none.failure());
    }

    @Test
    void aMegabyteOfDollarsIsLinear() {
        AnswerExtractor math = new AnswerExtractor(List.of(AnswerPattern.LAST_MATH));
        for (String big : List.of("$1 and the cat ".repeat(70_000), "$".repeat(1 << 20), "\\(".repeat(1 << 19),
                "$a$ ".repeat(250_000), "$$ x".repeat(250_000))) {
            long t0 = System.nanoTime();
            math.extract(big);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2_000, "took " + ms + " ms on " + big.substring(0, 20));
        }
    }

    @Test
    void aMegabyteIsLinear() {
        String big = "1 ".repeat(500_000) + "\\boxed{" + "{".repeat(10_000);
        long t0 = System.nanoTime();
        Extraction e = ALL.extract(big);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000);
        assertEquals(AnswerPattern.LAST_NUMBER, e.pattern());
    }
}
