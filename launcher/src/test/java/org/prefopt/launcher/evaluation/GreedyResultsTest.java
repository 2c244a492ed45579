package org.prefopt.launcher.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreedyResultsTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheGreedyLinesByIdAndIgnoresSamples() throws Exception {
        Path f = tmp.resolve("step-3-generations.jsonl");
        Files.writeString(f, """
                {"id": "a", "difficulty": 2, "mode": "greedy", "sample": 0, "correct": true, "prompt": "x"}
                {"id": "a", "difficulty": 2, "mode": "sample", "sample": 0, "correct": false}

                {"id": "b", "difficulty": 0, "mode": "greedy", "sample": 0, "correct": false}
                """);
        var r = GreedyResults.read(f);
        assertEquals(List.of(new GreedyResults.Result("a", "2", true), new GreedyResults.Result("b", "unknown", false)),
                List.copyOf(r.values()));
    }

    @Test
    void badFilesAreNamedWithTheLine() throws Exception {
        Path f = tmp.resolve("g.jsonl");
        Files.writeString(f, """
                {"id": "a", "difficulty": 1, "mode": "greedy", "correct": true}
                {"id": "a", "difficulty": 1, "mode": "greedy", "correct": false}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GreedyResults.read(f));
        assertEquals(f + ":2: problem id 'a' appears twice; a paired comparison needs unique ids per eval set",
                e.getMessage());
        Files.writeString(f, "{\"id\": \"a\", \"mode\": \"greedy\", \"correct\": true}\n");
        e = assertThrows(IllegalArgumentException.class, () -> GreedyResults.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: a greedy generation needs"), e.getMessage());
        Files.writeString(f, "{\"id\": \"a\", \"difficulty\": 1, \"mode\": \"sample\", \"correct\": true}\n");
        e = assertThrows(IllegalArgumentException.class, () -> GreedyResults.read(f));
        assertTrue(e.getMessage().startsWith(f + " has no greedy generations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GreedyResults.read(tmp.resolve("none.jsonl")));
        assertTrue(e.getMessage().startsWith(tmp.resolve("none.jsonl") + " is missing: paired comparisons read"),
                e.getMessage());
    }
}
