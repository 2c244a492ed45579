package org.prefopt.rewards.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.api.reward.RewardThreads;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.equivalence.SymjaCas;

/**
 * Throughput of {@code math-answer} and {@code gsm8k-answer}: completions graded per second on a given number of
 * threads. Completions are the reference solutions (correct) and the same solutions with the final answer
 * replaced (wrong, often sent to the CAS), so that both the fast path and the CAS path are measured.
 *
 * <p>Usage: {@code RewardBench [math.jsonl] [gsm8k.jsonl] [threads=2] [rounds=3]}
 */
public final class RewardBench {

    private RewardBench() {
    }

    public static void main(String[] args) throws Exception {
        Path math = Path.of(args.length > 0 ? args[0] : "/work/shared/data/math/test.jsonl");
        Path gsm = Path.of(args.length > 1 ? args[1] : "/work/shared/data/gsm8k/test.jsonl");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        SymjaCas.get().warmUp().get();
        var defaults = ConfigFactory.parseResources(RewardBench.class.getClassLoader(), "reference.conf")
                .getConfig("prefopt.defaults.reward");
        // A fresh reward per round: each has its own verdict cache, so no round is served from an earlier one.
        Supplier<AnswerReward> mathReward = () -> new AnswerReward("math-answer",
                AnswerRewardOptions.from(defaults.getConfig("math-answer"), true));
        Supplier<AnswerReward> gsmReward = () -> new AnswerReward("gsm8k-answer",
                AnswerRewardOptions.from(defaults.getConfig("gsm8k-answer"), false));
        try (RewardThreads scorer = new RewardThreads(threads)) {
            run("math-answer", mathReward, items(math, "problem", "solution", true), scorer, threads, rounds);
            run("gsm8k-answer", gsmReward, items(gsm, "question", "answer", false), scorer, threads, rounds);
        }
        System.exit(0); // Symja leaves non-daemon helper threads behind
    }

    private static void run(String name, Supplier<AnswerReward> rewards, List<Item> items,
                            RewardThreads scorer, int threads, int rounds) {
        score(scorer, rewards.get(), items.subList(0, Math.min(200, items.size()))); // warm-up (JIT)
        for (int r = 1; r <= rounds; r++) {
            AnswerReward reward = rewards.get();
            long t0 = System.nanoTime();
            List<RewardResult> results = score(scorer, reward, items);
            double s = (System.nanoTime() - t0) / 1e9;
            long correct = results.stream().filter(x -> x.applicable() && x.value() == 1.0).count();
            System.out.printf("%s round %d: %d completions in %.2f s = %.0f completions/s on %d threads "
                    + "(%d scored 1); outcomes %s%n", name, r, items.size(), s, items.size() / s, threads, correct,
                    reward.stats().snapshot());
        }
    }

    /** One completion of one example. */
    record Item(Example example, String completion) {
    }

    /** Scores every item; a reward that throws despite its contract counts as a 0 with a note, not a failed run. */
    private static List<RewardResult> score(RewardThreads threads, RewardFunction reward, List<Item> items) {
        List<Callable<RewardResult>> tasks = new ArrayList<>(items.size());
        for (Item item : items) {
            tasks.add(() -> {
                try {
                    return reward.score(item.example(), item.completion());
                } catch (RuntimeException e) {
                    return RewardResult.of(0.0, null, "reward " + reward.name() + " threw " + e);
                }
            });
        }
        return threads.invokeAll(tasks);
    }

    static List<Item> items(Path file, String promptField, String solutionField, boolean boxed)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Item> items = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                String solution = node.path(solutionField).asText();
                Example ex = new Example(file.getFileName() + ":" + n, node.path(promptField).asText(), null, solution,
                        Example.UNKNOWN_DIFFICULTY, null, file + ":" + n, Map.of());
                items.add(new Item(ex, solution));
                String wrong = boxed
                        ? replaceLast(solution, "\\boxed{", "\\boxed{2\\sqrt{3}+" + (n % 7) + "x+")
                        : solution.substring(0, Math.max(0, solution.lastIndexOf("####"))) + "#### " + (n + 1000);
                items.add(new Item(ex, wrong));
            }
        }
        return items;
    }

    private static String replaceLast(String s, String target, String replacement) {
        int i = s.lastIndexOf(target);
        return i < 0 ? s : s.substring(0, i) + replacement + s.substring(i + target.length());
    }
}
