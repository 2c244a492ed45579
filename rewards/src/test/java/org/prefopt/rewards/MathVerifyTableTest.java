package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigValueFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.equivalence.SymjaCas;

/**
 * Content grading on Math-Verify-style cases (issue 21): a completion, a gold answer in LaTeX and the verdict a
 * careful grader gives, graded by math-answer with its default patterns and {@code wrong-format-score = 1} (so
 * only the content counts). The agreement rate must stay at or above 85%, and every case pinned "agree" must keep
 * agreeing; a case pinned "miss" that starts agreeing fails too, so that the pins stay exact.
 */
class MathVerifyTableTest {

    static final String TABLE = "/math-verify-cases.tsv";
    static final double REQUIRED_AGREEMENT = 0.85;

    record Case(int line, String completion, String gold, boolean expected, boolean pinnedAgree, String note) {
    }

    @BeforeAll
    static void warmUp() throws Exception {
        SymjaCas.get().warmUp().get();
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                MathVerifyTableTest.class.getResourceAsStream(TABLE), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 5 || !f[2].matches("[01]") || !f[3].matches("agree|miss")) {
                    throw new IllegalStateException(TABLE + ":" + n + ": expected completion, gold, 0|1, agree|miss, note");
                }
                cases.add(new Case(n, f[0].replace('\u23ce', '\n'), f[1], f[2].equals("1"), f[3].equals("agree"), f[4]));
            }
        }
        return cases;
    }

    @Test
    void contentGradingAgreesWithTheExpectedVerdicts() throws IOException {
        // Generous timeout: this test checks verdicts, not speed, on a machine shared by other builds.
        AnswerReward reward = new AnswerReward("math-answer", AnswerRewardOptions.from(TestSupport.defaults("math-answer")
                .withValue("wrong-format-score", ConfigValueFactory.fromAnyRef(1.0))
                .withValue("timeout-ms", ConfigValueFactory.fromAnyRef(5_000)), true));
        List<Case> cases = cases();
        assertTrue(cases.size() >= 80, "the table must hold at least 80 cases, has " + cases.size());
        int agreed = 0;
        List<String> misses = new ArrayList<>();
        List<String> pinProblems = new ArrayList<>();
        for (Case c : cases) {
            RewardResult r = reward.score(TestSupport.example(c.gold()), c.completion());
            boolean graded = r.applicable() && r.value() == 1.0;
            boolean agrees = graded == c.expected();
            String what = "line " + c.line() + " (" + c.note() + "): expected " + (c.expected() ? 1 : 0) + ", graded "
                    + (graded ? 1 : 0) + " — extracted '" + r.extracted() + "', " + r.note();
            if (agrees) {
                agreed++;
            } else {
                misses.add(what);
            }
            if (agrees != c.pinnedAgree()) {
                pinProblems.add((agrees ? "now agrees, pin it 'agree': " : "REGRESSION: ") + what);
            }
        }
        double rate = (double) agreed / cases.size();
        System.out.printf("Math-Verify-style table: %d of %d cases agree (%.1f%%)%n", agreed, cases.size(), 100 * rate);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertTrue(pinProblems.isEmpty(), String.join("\n", pinProblems));
        assertTrue(rate >= REQUIRED_AGREEMENT, String.format("agreement %.1f%% is below %.0f%%", 100 * rate,
                100 * REQUIRED_AGREEMENT));
    }
}
