package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.equivalence.EquivalenceChecker;
import org.prefopt.rewards.equivalence.EquivalenceOptions;
import org.prefopt.rewards.equivalence.Reason;
import org.prefopt.rewards.equivalence.SymjaCas;
import org.prefopt.rewards.equivalence.Verdict;

/**
 * Symja keeps global state; comparisons from many threads at once must give the same verdicts as sequential
 * ones. A fresh checker per thread avoids the verdict cache, so every call really reaches the CAS.
 */
class ConcurrencyTest {

    static final String[][] PAIRS = {
        {"2\\sqrt{2}", "\\sqrt{8}", "1"}, {"\\sqrt{12}", "3\\sqrt{2}", "0"}, {"(x+1)^2", "x^2+2x+1", "1"},
        {"(x+1)^2", "x^2+x+1", "0"}, {"\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", "1"}, {"e^{i\\pi}", "-1", "1"},
        {"\\frac{\\pi}{3}", "\\frac{\\pi}{6}", "0"}, {"\\sin^2x+\\cos^2x", "1", "1"}, {"3x+2", "3x-2", "0"},
        {"\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}", "1"}, {"x+1>5", "x>4", "1"}, {"x+1>5", "x>5", "0"},
        {"34x+45y-20z+100=0", "-34x-45y+20z-100=0", "1"}, {"\\{-\\sqrt{2},\\sqrt{2}\\}", "\\pm\\sqrt{8}/2", "1"}};

    @BeforeAll
    static void warmUp() throws Exception {
        SymjaCas.get().warmUp().get();
    }

    @Test
    void manyThreadsAgreeWithTheExpectedVerdicts() throws Exception {
        int threads = 8;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                List<String> wrong = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    EquivalenceChecker checker = new EquivalenceChecker(new EquivalenceOptions(true, 10_000, 2_000));
                    for (int i = 0; i < PAIRS.length; i++) {
                        String[] p = PAIRS[(i + offset) % PAIRS.length];
                        Verdict v = checker.check(p[0], p[1]);
                        if (v.equal() != p[2].equals("1") || v.reason().isFailure()) {
                            wrong.add(p[0] + " vs " + p[1] + ": " + v.note());
                        }
                    }
                }
                return wrong;
            }));
        }
        List<String> wrong = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            wrong.addAll(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong verdicts under concurrency:\n" + String.join("\n", wrong));
    }

    @Test
    void aTinyTimeoutIsANoWithACountedReasonAndReturnsPromptly() {
        EquivalenceChecker checker = new EquivalenceChecker(new EquivalenceOptions(true, 1, 2_000));
        long t0 = System.nanoTime();
        // equal, but proving it means expanding a 200th power of four terms (over a million monomials): no CAS
        // does that in 1 ms, so the timeout path is taken on every machine, loaded or not
        Verdict v = checker.check("(x+y+z+1)^{200}", "(1+z+y+x)^{200}+x-x");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(v.equal(), v.toString());
        assertEquals(Reason.CAS_TIMEOUT, v.reason(), v.toString());
        assertEquals(1, checker.stats().count(Reason.CAS_TIMEOUT));
        assertTrue(ms < 500, "took " + ms + " ms with a 1 ms timeout");
    }

    /** A check that times out is scored 0 but flagged undecided, never reported as a wrong answer (issue #20). */
    @Test
    void aTimedOutCheckIsUndecidedNotWrong() {
        AnswerReward reward = new AnswerReward("math-answer", AnswerRewardOptions.from(
                TestSupport.defaults("math-answer").withValue("timeout-ms",
                        com.typesafe.config.ConfigValueFactory.fromAnyRef(1)), true));
        RewardResult r = reward.score(TestSupport.example("(1+z+y+x)^{200}+x-x"), "\\boxed{(x+y+z+1)^{200}}");
        assertTrue(r.undecided(), r.toString());
        assertEquals(0.0, r.value());
        assertTrue(r.note().startsWith("undecided (scored 0): "), r.note());
        RewardResult wrong = TestSupport.math().score(TestSupport.example("3"), "\\boxed{4}");
        assertFalse(wrong.undecided(), wrong.toString());
    }
}
