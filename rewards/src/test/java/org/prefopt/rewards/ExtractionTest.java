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
    void aMegabyteIsLinear() {
        String big = "1 ".repeat(500_000) + "\\boxed{" + "{".repeat(10_000);
        long t0 = System.nanoTime();
        Extraction e = ALL.extract(big);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000);
        assertEquals(AnswerPattern.LAST_NUMBER, e.pattern());
    }
}
