package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.format.FormatReward;
import org.prefopt.rewards.length.LengthReward;

class RewardsTest {

    @Test
    void unusableGoldIsNotApplicable() {
        RewardResult none = TestSupport.gsm8k().score(TestSupport.example(null), "#### 5");
        assertFalse(none.applicable());
        RewardResult text = TestSupport.gsm8k().score(TestSupport.example("\\text{odd}"), "#### 5");
        assertFalse(text.applicable());
        assertTrue(text.note().contains("not a number"), text.note());
        assertFalse(TestSupport.math().score(TestSupport.example("   "), "\\boxed{5}").applicable());
    }

    @Test
    void goldComesFromTheSolutionWhenTheDatasetGivesNone() {
        Example gsm = new Example("1", "q", null, "2+3=5\n#### 5", 0, null, "t", Map.of());
        assertEquals(1.0, TestSupport.gsm8k().score(gsm, "#### 5").value());
        Example math = new Example("2", "q", null, "so $\\boxed{\\frac{1}{2}}$.", 0, null, "t", Map.of());
        assertEquals(1.0, TestSupport.math().score(math, "\\boxed{0.5}").value());
        Example full = new Example("3", "q", "Janet sells 9.\n#### 18", null, 0, null, "t", Map.of());
        assertEquals(1.0, TestSupport.gsm8k().score(full, "#### 18").value());
    }

    @Test
    void wrongFormatEarnsThePartialScore() {
        var options = TestSupport.defaults("gsm8k-answer").withValue("wrong-format-score",
                ConfigFactory.parseString("x = 0.25").getValue("x"));
        AnswerReward r = new AnswerReward("gsm8k-answer", AnswerRewardOptions.from(options, false));
        RewardResult result = r.score(TestSupport.example("12"), "5 + 7 = 12");
        assertEquals(0.25, result.value());
        assertEquals("12", result.extracted());
        assertTrue(result.note().contains("not in the requested format"), result.note());
        assertEquals(0.0, r.score(TestSupport.example("12"), "5 + 7 = 13").value());
        assertEquals(1.0, r.score(TestSupport.example("12"), "#### 12").value());
    }

    @Test
    void namesAreComponentNames() {
        assertEquals("math-answer", TestSupport.math().name());
        assertEquals("gsm8k-answer", TestSupport.gsm8k().name());
    }

    @Test
    void formatCountsTheFractionOfChecksPassed() {
        FormatReward both = new FormatReward("format", new FormatReward.Options(true, true, "<think>", "</think>", true, true));
        Example ex = TestSupport.example("1");
        assertEquals(1.0, both.score(ex, "<think>hmm</think> so \\boxed{1}").value());
        assertEquals(0.5, both.score(ex, "<think>hmm</think> so 1").value());
        assertEquals(0.5, both.score(ex, "<think>\\boxed{1}</think> so").value());
        assertEquals(0.5, both.score(ex, "hmm \\boxed{1}").value());
        assertEquals(0.5, both.score(ex, "<think>a</think><think>b</think>\\boxed{1}").value());
        assertEquals(0.5, both.score(ex, "x <think>a</think>\\boxed{1}").value());
        assertEquals(0.0, both.score(ex, "</think>a<think>").value());
        FormatReward boxed = new FormatReward("format", new FormatReward.Options(true, false, "<think>", "</think>", false, true));
        assertEquals(1.0, boxed.score(ex, "\\boxed{x}").value());
        assertEquals(0.0, boxed.score(ex, "\\boxed{}").value());
        assertEquals(0.0, boxed.score(ex, null).value());
    }

    @Test
    void lengthFollowsDaposSoftPunishment() {
        // max 100, buffer 20: free up to 80, then (80 - L) / 20, -1 beyond 100 (hand-computed values)
        LengthReward r = new LengthReward("length", 100, 20, "characters", String::length);
        assertEquals(0.0, r.penalty(0));
        assertEquals(0.0, r.penalty(80));
        assertEquals(-0.05, r.penalty(81), 1e-12);
        assertEquals(-0.5, r.penalty(90), 1e-12);
        assertEquals(-1.0, r.penalty(100), 1e-12);
        assertEquals(-1.0, r.penalty(101));
        RewardResult res = r.score(TestSupport.example("1"), "x".repeat(90));
        assertEquals(-0.5, res.value(), 1e-12);
        assertEquals("90", res.extracted());
        LengthReward tokens = new LengthReward("length", 10, 5, "tokens", s -> s.split(" ").length);
        assertEquals(-0.2, tokens.score(TestSupport.example("1"), "a b c d e f").value(), 1e-12);
    }
}
