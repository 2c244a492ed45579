package org.prefopt.rewards;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.equivalence.SymjaCas;

/**
 * GSM8K reference solutions (test and train): with their {@code #### N} line every one must be accepted by
 * gsm8k-answer and math-answer; without it (the answer read from the prose, as from a model that does not follow
 * the format; {@code wrong-format-score = 1}) the acceptance must stay at its measured level, and the solution
 * must not be accepted against the next example's different gold more often than measured.
 */
@Tag("slow")
class GsmRealDataTest {

    static final Path DIR = Path.of(System.getProperty("prefopt.gsm8k.dir", "/work/shared/data/gsm8k"));
    /**
     * Measured on the 8,792 test+train solutions (docs/rewards.md): with ####, all (gsm8k-answer) and 8,790
     * (math-answer, whose patterns try "answer is" before ####); without, 97.25% / 97.24%; against the next gold, 5
     * (each a solution whose last number is not its answer but happens to be the next one's). A drop below, or
     * more wrong acceptances, fails.
     */
    static final Map<String, Integer> MIN_FULL_ACCEPTED = Map.of("gsm8k-answer", 8792, "math-answer", 8790);
    static final Map<String, Double> MIN_PROSE_AGREEMENT = Map.of("gsm8k-answer", 0.972, "math-answer", 0.972);
    static final Map<String, Integer> MAX_WRONG_GOLD_ACCEPTED = Map.of("gsm8k-answer", 5, "math-answer", 5);

    @Test
    void referenceSolutionsAreAcceptedWithAndWithoutTheirHashLine() throws Exception {
        assumeTrue(Files.isReadable(DIR.resolve("test.jsonl")), DIR + " not present");
        SymjaCas.get().warmUp().get();
        List<AnswerReward> rewards = List.of(lenient("gsm8k-answer", false), lenient("math-answer", true));
        ObjectMapper json = new ObjectMapper();
        List<String> solutions = new ArrayList<>();
        List<String> golds = new ArrayList<>();
        for (String file : List.of("test.jsonl", "train.jsonl")) {
            for (String line : Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8)) {
                JsonNode node = json.readTree(line);
                String answer = node.path("answer").asText();
                solutions.add(answer);
                golds.add(answer.substring(answer.lastIndexOf("####") + 4).trim());
            }
        }
        for (AnswerReward reward : rewards) {
            int full = 0;
            int prose = 0;
            List<String> proseRejected = new ArrayList<>();
            List<String> wrongAccepted = new ArrayList<>();
            for (int i = 0; i < solutions.size(); i++) {
                String gold = golds.get(i);
                String solution = solutions.get(i);
                String withoutHashes = solution.substring(0, solution.lastIndexOf("####")).trim();
                RewardResult f = reward.score(TestSupport.example(gold), solution);
                if (f.value() == 1.0) {
                    full++;
                } else {
                    System.out.println("  with ####, rejected: " + (i + 1) + ": gold " + gold + ", read '"
                            + f.extracted() + "', " + f.note());
                }
                RewardResult r = reward.score(TestSupport.example(gold), withoutHashes);
                if (r.value() == 1.0) {
                    prose++;
                } else {
                    proseRejected.add((i + 1) + ": gold " + gold + ", read '" + r.extracted() + "', " + r.note());
                }
                String other = golds.get((i + 1) % golds.size());
                if (!other.equals(gold) && reward.score(TestSupport.example(other), withoutHashes).value() == 1.0) {
                    wrongAccepted.add((i + 1) + ": read '" + r.extracted() + "' accepted for " + other);
                }
            }
            int n = solutions.size();
            System.out.printf("GSM8K %s: with ####: %d of %d (%.2f%%); without: %d (%.2f%%); against the next gold: %d%n",
                    reward.name(), full, n, 100.0 * full / n, prose, 100.0 * prose / n, wrongAccepted.size());
            proseRejected.stream().limit(20).forEach(s -> System.out.println("  without ####, rejected: " + s));
            wrongAccepted.forEach(s -> System.out.println("  wrong gold accepted: " + s));
            assertTrue(full >= MIN_FULL_ACCEPTED.get(reward.name()), reward.name() + ": fewer solutions with #### accepted");
            assertTrue((double) prose / n >= MIN_PROSE_AGREEMENT.get(reward.name()), reward.name() + ": prose agreement dropped");
            assertTrue(wrongAccepted.size() <= MAX_WRONG_GOLD_ACCEPTED.get(reward.name()), reward.name() + ": wrong golds accepted");
        }
    }

    private static AnswerReward lenient(String name, boolean symbolic) {
        return new AnswerReward(name, AnswerRewardOptions.from(TestSupport.defaults(name)
                .withValue("wrong-format-score", ConfigValueFactory.fromAnyRef(1.0)), symbolic));
    }
}
