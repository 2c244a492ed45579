package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.equivalence.EquivalenceChecker;
import org.prefopt.rewards.equivalence.EquivalenceOptions;
import org.prefopt.rewards.equivalence.SymjaCas;
import org.prefopt.rewards.equivalence.Verdict;

/**
 * Random and adversarial inputs: no exception, no call over its bound. Each string is scored as a completion by
 * math-answer and gsm8k-answer and compared directly as an answer against a gold answer, and as a gold answer.
 */
class FuzzTest {

    /** Per-call bound: the 800 ms comparison timeout plus slack for a machine shared with other builds. */
    static final long BOUND_MS = 2_000;
    static final String[] GOLDS = {"18", "\\frac{1}{2}", "(1,2)", "2\\sqrt{2}", "\\{1,2\\}", "x^2+1", "\\text{odd}"};

    @BeforeAll
    static void warmUp() throws Exception {
        SymjaCas.get().warmUp().get();
    }

    @Test
    void tenThousandStrings() {
        Report r = run(10_000, 7, 1_000_000);
        assertTrue(r.problems.isEmpty(), String.join("\n", r.problems));
    }

    @Test
    @Tag("slow")
    void hundredThousandStrings() {
        Report r = run(100_000, 11, 4);
        System.out.println("fuzz 100k: " + r);
        assertTrue(r.problems.isEmpty(), String.join("\n", r.problems));
    }

    static final class Report {
        final List<String> problems = new ArrayList<>();
        long calls;
        long maxNanos;
        long totalNanos;
        String slowest = "";

        @Override
        public String toString() {
            return calls + " calls, max " + maxNanos / 1_000_000 + " ms (" + slowest + "), mean "
                    + (calls == 0 ? 0 : totalNanos / calls / 1000) + " us, problems " + problems.size();
        }
    }

    static Report run(int count, long seed, int bigEvery) {
        AnswerReward math = TestSupport.math();
        AnswerReward gsm = TestSupport.gsm8k();
        EquivalenceChecker checker = new EquivalenceChecker(EquivalenceOptions.DEFAULT);
        Random random = new Random(seed);
        Report report = new Report();
        for (int i = 0; i < count; i++) {
            String s = FuzzStrings.get(random, i, bigEvery);
            String gold = GOLDS[i % GOLDS.length];
            Example ex = TestSupport.example(gold);
            timed(report, s, "math-answer", () -> check(math.score(ex, s)));
            timed(report, s, "gsm8k-answer", () -> check(gsm.score(ex, s)));
            timed(report, s, "check", () -> checker.check(s, gold));
            timed(report, s, "check as gold", () -> checker.check(gold, s));
            timed(report, s, "math-answer as gold", () -> check(math.score(TestSupport.example(s), "\\boxed{" + gold + "}")));
        }
        return report;
    }

    private static Object check(RewardResult r) {
        if (r.applicable() && !(r.value() >= -1 && r.value() <= 1)) {
            throw new AssertionError("reward out of range: " + r);
        }
        return r;
    }

    private static void timed(Report report, String input, String what, java.util.function.Supplier<Object> call) {
        long t0 = System.nanoTime();
        try {
            call.get();
        } catch (Throwable e) {
            report.problems.add(what + " threw " + e + " on " + preview(input));
        }
        long dt = System.nanoTime() - t0;
        report.calls++;
        report.totalNanos += dt;
        if (dt > report.maxNanos) {
            report.maxNanos = dt;
            report.slowest = what + " on " + preview(input);
        }
        if (dt > BOUND_MS * 1_000_000) {
            report.problems.add(what + " took " + dt / 1_000_000 + " ms on " + preview(input));
        }
    }

    private static String preview(String s) {
        String p = s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
        return "'" + p.replace("\n", "\\n") + "'";
    }

    @Test
    void verdictsStayDeterministicAcrossTheRun() {
        EquivalenceChecker checker = new EquivalenceChecker(EquivalenceOptions.DEFAULT);
        Verdict before = checker.check("2\\sqrt{2}", "\\sqrt{8}");
        run(300, 3, 1_000_000);
        Verdict after = checker.check("2\\sqrt{2}", "\\sqrt{8}");
        assertTrue(before.equal() && after.equal(), before + " / " + after);
    }
}
