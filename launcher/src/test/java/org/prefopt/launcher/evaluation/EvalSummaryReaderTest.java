package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSummaryReaderTest {

    @TempDir
    Path run;

    @Test
    void keepsTheTrainingPoolsInTheOrderTheSummaryListsThem() throws Exception {
        Path set = Files.createDirectories(run.resolve("eval/heldout"));
        List<String> pools = new ArrayList<>();
        StringBuilder overlap = new StringBuilder();
        for (int i = 15; i >= 0; i--) {
            pools.add("stage s" + (i * 7) % 16);
            overlap.append(overlap.length() == 0 ? "" : ", ").append('"').append(pools.get(pools.size() - 1))
                    .append("\": ").append(i + 1);
        }
        Files.writeString(set.resolve("step-0.json"), "{\"set\": \"heldout\", \"step\": 0, \"training_overlap\": {"
                + overlap + "}}");
        assertEquals(pools, new ArrayList<>(EvalSummaryReader.readAll(run).get(0).trainingOverlap().keySet()),
                "the report's 'Not unseen' line lists the pools in this order");
    }

    @Test
    void readsTheLatestSummaryOfEachSetAndRefusesBrokenOnesByName() throws Exception {
        Path set = Files.createDirectories(run.resolve("eval/heldout"));
        Files.writeString(set.resolve("step-0.json"), "{\"set\": \"heldout\", \"step\": 0}");
        Files.writeString(set.resolve("step-10.json"), """
                {"set": "heldout", "step": 10, "greedy": {"overall": {"n": 4, "correct": 3},
                 "tiers": {"1": {"n": 2, "correct": 2}, "2": {"n": 2, "correct": 1}}},
                 "sampled": {"mean_at_k": {"overall": {"n": 4, "mean": 0.5, "ci95": [0.2, 0.8]}}}}
                """);
        Files.writeString(set.resolve("step-10-generations.jsonl"), "not json, not read");
        List<EvalSummary> all = EvalSummaryReader.readAll(run);
        assertEquals(List.of(0, 10), all.stream().map(EvalSummary::step).toList());
        assertNull(all.get(0).greedy());
        EvalSummary last = EvalSummaryReader.latest(run).get("heldout");
        assertEquals(Proportion.of(3, 4), last.greedy());
        assertEquals(Proportion.of(1, 2), last.greedyTiers().get("2"));
        assertEquals(0.5, last.meanAtK().mean());

        Files.writeString(set.resolve("step-20.json"), "{\"set\": \"heldout\", \"step\": 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalSummaryReader.readAll(run));
        assertTrue(e.getMessage().contains("step-20.json: not a readable evaluation summary"), e.getMessage());
        Files.writeString(set.resolve("step-20.json"), "{\"set\": \"heldout\", \"step\": 21}");
        e = assertThrows(IllegalArgumentException.class, () -> EvalSummaryReader.readAll(run));
        assertTrue(e.getMessage().contains("says step 21 but is named for step 20"), e.getMessage());
        assertEquals(List.of(), EvalSummaryReader.readAll(run.resolve("nothing-here")));
    }
}
