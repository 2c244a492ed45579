package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.filter.DifficultyFilter;
import org.prefopt.datasets.filter.HeldOutFilter;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.math.MathDataset;
import org.prefopt.datasets.split.SplitSide;
import org.prefopt.datasets.split.Splits;
import org.prefopt.datasets.stats.DatasetStatistics;

class SplitsAndStatisticsTest {

    @TempDir
    Path dir;

    @Test
    void heldOutIsSeededDisjointAndKeepsDuplicatesTogether() {
        List<Example> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(Fixtures.example("x" + i, "Problem number " + i, "1", 1, null));
        }
        // Same prompt up to case and whitespace as x3.
        all.add(Fixtures.example("dup", "  problem   NUMBER 3 ", "1", 1, null));
        Splits.Split s = Splits.heldOut(all, 0.2, 11);
        assertEquals(101, s.train().size() + s.eval().size());
        // 100 distinct prompts (x3 and dup are one group): round(0.2 * 100) = 20 groups held out.
        assertEquals(20, s.eval().stream().map(e -> Splits.normalisePrompt(e.prompt())).distinct().count());
        Set<String> trainIds = new HashSet<>(s.train().stream().map(Example::id).toList());
        assertTrue(s.eval().stream().noneMatch(e -> trainIds.contains(e.id())));
        assertEquals(trainIds.contains("x3"), trainIds.contains("dup"), "duplicates land on the same side");
        assertEquals(List.of(), s.duplicates());
        assertEquals(s, Splits.heldOut(all, 0.2, 11));
        assertTrue(!s.eval().equals(Splits.heldOut(all, 0.2, 12).eval()));
        // Order within each split is the original order.
        assertEquals(s.train(), all.stream().filter(s.train()::contains).toList());
    }

    @Test
    void heldOutFilterSidesAreComplementaryAndFollowTheSplit() {
        List<Example> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(Fixtures.example("x" + i, "Problem number " + i, "1", 1, null));
        }
        all.add(Fixtures.example("dup", "  problem   NUMBER 3 ", "1", 1, null));
        List<Example> train = new HeldOutFilter(0.25, 5, SplitSide.TRAIN).apply(all);
        List<Example> held = new HeldOutFilter(0.25, 5, SplitSide.HELD_OUT).apply(all);
        assertEquals(Splits.heldOut(all, 0.25, 5).train(), train);
        assertEquals(Splits.heldOut(all, 0.25, 5).eval(), held);
        assertEquals(all.size(), train.size() + held.size());
        assertTrue(Splits.duplicates(train, held).isEmpty(), "a prompt on both sides");
        assertEquals(10, held.stream().map(e -> Splits.normalisePrompt(e.prompt())).distinct().count());
        assertEquals(train.contains(all.get(3)), train.contains(all.get(40)), "duplicates on one side");
        assertThrows(IllegalArgumentException.class, () -> new HeldOutFilter(1.0, 5, SplitSide.TRAIN));
        assertEquals("side must be train or held-out (got 'eval')",
                assertThrows(IllegalArgumentException.class, () -> SplitSide.parse("eval", "side", false)).getMessage());
    }

    @Test
    void duplicatesAcrossSeparateFilesAreReported() {
        List<Example> train = List.of(Fixtures.example("t1", "What is 2 + 2?", "4", 1, null),
                Fixtures.example("t2", "What is 3 + 3?", "6", 1, null));
        List<Example> eval = List.of(Fixtures.example("e1", "what is  2 + 2?", "4", 1, null),
                Fixtures.example("e2", "What is 2 + 3?", "5", 1, null));
        List<Splits.Duplicate> d = Splits.duplicates(train, eval);
        assertEquals(List.of(new Splits.Duplicate("t1", "e1", "what is 2 + 2?")), d);
    }

    @Test
    void statisticsCountTiersAnswersAndSkips() {
        Path p = Fixtures.write(dir, "m.jsonl",
                "{\"problem\":\"P1\",\"level\":\"Level 1\",\"type\":\"Algebra\",\"answer\":\"3\"}",
                "{\"problem\":\"P2\",\"level\":\"Level 1\",\"type\":\"Algebra\",\"answer\":\"\\\\frac{1}{2}\"}",
                "{\"problem\":\"P3\",\"level\":\"Level 3\",\"type\":\"Geometry\",\"answer\":\"2\\\\sqrt{2}\"}",
                "{\"problem\":\"P4\",\"level\":\"Level ?\",\"type\":\"Geometry\",\"answer\":\"1\"}",
                "{\"problem\":\"P5\",\"level\":\"Level 5\",\"type\":\"Geometry\",\"answer\":\"0.25\"}");
        DatasetStatistics s = DatasetStatistics.compute(new MathDataset(p, BadRecordPolicy.SKIP),
                List.of(new DifficultyFilter(0, 3, 0, 1, false)));
        assertEquals(4, s.read());
        assertEquals(3, s.total());
        assertEquals(Map.of(1, 2L, 3, 1L), s.perDifficulty());
        assertEquals(1L, s.numeric().get("integer"));
        assertEquals(1L, s.numeric().get("fraction"));
        assertEquals(1L, s.numeric().get("non-numeric"));
        assertEquals(2, s.numericTotal());
        assertEquals(Map.of("Algebra", 2L, "Geometry", 1L), s.perSubject());
        assertEquals(1, s.skipped().size());
        assertEquals(4, s.skipped().get(0).line());
        assertEquals(List.of(new DatasetStatistics.FilterStep("difficulty[..3]", 4, 3)), s.filterSteps());
        String text = s.toText();
        assertTrue(text.contains("examples: 3 (of 4 read)") && text.contains("m.jsonl:4: level"), text);
        assertEquals(3, s.toJson().get("examples").asInt());
        assertEquals(1, s.toJson().get("skipped").size());

        List<DataIssue> none = List.of();
        DatasetStatistics plain = DatasetStatistics.of(
                List.of(Fixtures.example("a", "p", null, 0, null)).stream(), none);
        assertEquals(1L, plain.numeric().get("no-answer"));
        assertEquals(Map.of(0, 1L), plain.perDifficulty());
    }
}
