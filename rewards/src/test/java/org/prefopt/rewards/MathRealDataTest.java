package org.prefopt.rewards;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.equivalence.SymjaCas;

/**
 * Every gold answer of the MATH test set (the last {@code \boxed{}} of its solution), scored by math-answer
 * against itself (as {@code \boxed{gold}}) and against its full solution, must be accepted, each call within 1 s.
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

    private static RewardResult timed(List<Long> nanos, java.util.function.Supplier<RewardResult> call) {
        long t0 = System.nanoTime();
        RewardResult r = call.get();
        nanos.add(System.nanoTime() - t0);
        return r;
    }
}
