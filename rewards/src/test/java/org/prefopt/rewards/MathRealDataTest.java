package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import com.typesafe.config.ConfigValueFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.api.text.BoxedAnswers;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.equivalence.Reason;
import org.prefopt.rewards.equivalence.SymjaCas;

/**
 * Every gold answer of the MATH test set (the last {@code \boxed{}} of its solution), scored by math-answer
 * against itself (as {@code \boxed{gold}}) and against its full solution, must be accepted, each call within 1 s.
 * Then the CAS under load: every solution with its final box removed (so the answer is read without a box) is
 * graded against its own gold and against the next example's gold (a wrong answer, mostly decided by the CAS);
 * no comparison may time out.
 */
@Tag("slow")
class MathRealDataTest {

    static final Path FILE = Path.of(System.getProperty("prefopt.math.test", "/work/shared/data/math/test.jsonl"));

    @Test
    void everyGoldAnswerAcceptsItselfAndItsSolution() throws Exception {
        assumeTrue(Files.isReadable(FILE), FILE + " not present");
        SymjaCas.get().warmUp().get();
        AnswerReward reward = TestSupport.math();
        ObjectMapper json = new ObjectMapper();
        List<String> rejected = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        int examples = 0;
        int accepted = 0;
        int calls = 0;
        try (BufferedReader in = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                JsonNode node = json.readTree(line);
                String solution = node.path("solution").asText();
                Example noGold = new Example("math-" + n, node.path("problem").asText(), null, solution, 0, null,
                        FILE + ":" + n, Map.of());
                examples++;
                // gold taken from the reference solution, as the reward does when a dataset gives none
                RewardResult self = timed(nanos, () -> reward.score(noGold, solution));
                calls++;
                if (!self.applicable()) {
                    rejected.add(FILE.getFileName() + ":" + n + " not applicable: " + self.note());
                    continue;
                }
                String gold = self.extracted();
                Example withGold = new Example("math-" + n, "", gold, null, 0, null, FILE + ":" + n, Map.of());
                RewardResult boxed = timed(nanos, () -> reward.score(withGold, "\\boxed{" + gold + "}"));
                RewardResult full = timed(nanos, () -> reward.score(withGold, solution));
                calls += 2;
                boolean ok = self.value() == 1.0 && boxed.value() == 1.0 && full.value() == 1.0;
                if (ok) {
                    accepted++;
                } else {
                    rejected.add(FILE.getFileName() + ":" + n + " gold '" + gold + "': self=" + self.note()
                            + " | boxed=" + boxed.note() + " | solution=" + full.note());
                }
            }
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long max = sorted[sorted.length - 1];
        long p99 = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
        long p50 = sorted[sorted.length / 2];
        System.out.printf("MATH real data: %d examples, %d calls, accepted %d (%.2f%%); p50 %.3f ms, p99 %.3f ms, "
                        + "max %.1f ms; CAS outcomes %s%n", examples, calls, accepted, 100.0 * accepted / examples,
                p50 / 1e6, p99 / 1e6, max / 1e6, reward.stats().snapshot());
        rejected.forEach(r -> System.out.println("  rejected: " + r));
        assertTrue(max <= 1_000_000_000L, "a call took " + max / 1e6 + " ms (bound 1000 ms)");
        assertTrue(rejected.isEmpty(), rejected.size() + " gold answers not accepted:\n" + String.join("\n", rejected));
        assertTrue(Arrays.stream(sorted).count() == calls);
    }

    /**
     * Measured (docs/rewards.md): 84.4% of unboxed solutions accepted (the rest mostly go on writing math after
     * their answer); 7 next-example golds accepted, each the same answer written differently ("120^\\circ" vs
     * "120"). A drop below, or more acceptances, fails.
     */
    static final double MIN_UNBOXED_AGREEMENT = 0.84;
    static final int MAX_WRONG_GOLD_ACCEPTED = 7;

    @Test
    void unboxedSolutionsAndWrongGoldsNeverTimeOut() throws Exception {
        assumeTrue(Files.isReadable(FILE), FILE + " not present");
        SymjaCas.get().warmUp().get();
        AnswerReward reward = new AnswerReward("math-answer", AnswerRewardOptions.from(TestSupport.defaults("math-answer")
                .withValue("wrong-format-score", ConfigValueFactory.fromAnyRef(1.0)), true));
        ObjectMapper json = new ObjectMapper();
        List<String> solutions = new ArrayList<>();
        List<String> golds = new ArrayList<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            String solution = json.readTree(line).path("solution").asText();
            solutions.add(solution);
            golds.add(BoxedAnswers.lastBoxed(solution).content());
        }
        List<Long> nanos = new ArrayList<>();
        int unboxedTried = 0;
        int unboxedAccepted = 0;
        int wrongTried = 0;
        List<String> wrongAccepted = new ArrayList<>();
        List<String> unboxedRejected = new ArrayList<>();
        for (int i = 0; i < solutions.size(); i++) {
            String gold = golds.get(i);
            String unboxed = unbox(solutions.get(i));
            if (gold == null || unboxed == null) {
                continue;
            }
            unboxedTried++;
            RewardResult r = timed(nanos, () -> reward.score(TestSupport.example(gold), unboxed));
            if (r.value() == 1.0) {
                unboxedAccepted++;
            } else {
                unboxedRejected.add((i + 1) + ": gold '" + gold + "', read '" + r.extracted() + "', " + r.note());
            }
            String other = golds.get((i + 1) % golds.size());
            if (other != null && !other.equals(gold)) {
                wrongTried++;
                RewardResult w = timed(nanos, () -> reward.score(TestSupport.example(other), unboxed));
                if (w.value() == 1.0) {
                    wrongAccepted.add((i + 1) + ": '" + w.extracted() + "' accepted for '" + other + "': " + w.note());
                }
            }
        }
        long max = nanos.stream().mapToLong(Long::longValue).max().orElse(0);
        Map<Reason, Long> outcomes = reward.stats().snapshot();
        System.out.printf("MATH unboxed solutions: %d of %d accepted (%.2f%%); against the next example's gold: %d of %d "
                        + "accepted; max %.1f ms; outcomes %s%n", unboxedAccepted, unboxedTried,
                100.0 * unboxedAccepted / unboxedTried, wrongAccepted.size(), wrongTried, max / 1e6, outcomes);
        unboxedRejected.forEach(r -> System.out.println("  unboxed rejected: " + r));
        wrongAccepted.forEach(r -> System.out.println("  wrong gold accepted: " + r));
        assertEquals(0L, outcomes.getOrDefault(Reason.CAS_TIMEOUT, 0L), "CAS timeouts");
        assertEquals(0L, outcomes.getOrDefault(Reason.CAS_BUSY, 0L), "CAS queue full");
        assertTrue(max <= 1_000_000_000L, "a call took " + max / 1e6 + " ms (bound 1000 ms)");
        assertTrue((double) unboxedAccepted / unboxedTried >= MIN_UNBOXED_AGREEMENT, "unboxed agreement dropped");
        assertTrue(wrongAccepted.size() <= MAX_WRONG_GOLD_ACCEPTED, "more wrong golds accepted than measured");
    }

    /** The solution with its last {@code \boxed{X}} replaced by X, or null when it has none. */
    static String unbox(String solution) {
        int at = solution.lastIndexOf("\\boxed{");
        if (at < 0) {
            return null;
        }
        int open = at + "\\boxed".length();
        int depth = 0;
        for (int j = open; j < solution.length(); j++) {
            char c = solution.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return solution.substring(0, at) + solution.substring(open + 1, j) + solution.substring(j + 1);
            }
        }
        return null;
    }

    private static RewardResult timed(List<Long> nanos, java.util.function.Supplier<RewardResult> call) {
        long t0 = System.nanoTime();
        RewardResult r = call.get();
        nanos.add(System.nanoTime() - t0);
        return r;
    }
}
