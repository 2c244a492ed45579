package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.prefopt.rewards.equivalence.EquivalenceChecker;
import org.prefopt.rewards.equivalence.EquivalenceOptions;
import org.prefopt.rewards.equivalence.SymjaCas;
import org.prefopt.rewards.equivalence.Verdict;

/** Runs every case of equivalence-cases.tsv; all must give the expected verdict. */
class EquivalenceTableTest {

    record Case(int line, String kind, String input, String gold, boolean expected) {
    }

    @BeforeAll
    static void warmUp() throws Exception {
        SymjaCas.get().warmUp().get();
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                EquivalenceTableTest.class.getResourceAsStream("/equivalence-cases.tsv"), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4 || !(f[3].equals("0") || f[3].equals("1"))) {
                    throw new IllegalStateException("equivalence-cases.tsv:" + n + ": expected 4 tab-separated fields "
                            + "kind, input, gold, 0|1; got " + f.length);
                }
                // "\n" is a newline in completions only: in an answer it is LaTeX ("\neq").
                boolean completion = f[0].equals("completion") || f[0].equals("gsm8k");
                cases.add(new Case(n, f[0], completion ? f[1].replace("\\n", "\n") : f[1], f[2], f[3].equals("1")));
            }
        }
        return cases;
    }

    @Test
    void everyCaseGivesTheExpectedVerdict() throws IOException {
        // Generous timeout: this test checks verdicts, not speed, on a machine shared by other builds.
        EquivalenceChecker math = new EquivalenceChecker(new EquivalenceOptions(true, 5_000, 2_000));
        EquivalenceChecker numeric = new EquivalenceChecker(new EquivalenceOptions(false, 5_000, 2_000));
        AnswerReward mathReward = TestSupport.math();
        AnswerReward gsmReward = TestSupport.gsm8k();
        List<Case> cases = cases();
        assertTrue(cases.size() >= 300, "the table must hold at least 300 cases, has " + cases.size());
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            boolean got;
            String why;
            switch (c.kind()) {
                case "answer", "numeric" -> {
                    Verdict v = (c.kind().equals("answer") ? math : numeric).check(c.input(), c.gold());
                    got = v.equal();
                    why = v.note();
                }
                case "completion", "gsm8k" -> {
                    RewardResult r = (c.kind().equals("completion") ? mathReward : gsmReward)
                            .score(TestSupport.example(c.gold()), c.input());
                    got = r.applicable() && r.value() == 1.0;
                    why = r.note() + " (extracted " + r.extracted() + ")";
                }
                default -> throw new IllegalStateException("equivalence-cases.tsv:" + c.line() + ": unknown kind " + c.kind());
            }
            if (got != c.expected()) {
                failures.add("line " + c.line() + " [" + c.kind() + "] '" + c.input() + "' vs '" + c.gold()
                        + "': expected " + c.expected() + ", got " + got + " — " + why);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
    }
}
