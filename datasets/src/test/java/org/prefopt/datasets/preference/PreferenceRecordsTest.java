package org.prefopt.datasets.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.Fixtures;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.files.RecordFileDataset;

/** Unpaired (KTO) records: completion + label, next to the pairs. */
class PreferenceRecordsTest {

    @TempDir
    Path dir;

    private List<Example> read(Path p, BadRecordPolicy policy, List<DataIssue> skipped) {
        return Fixtures.read(new RecordFileDataset("preference-jsonl", p, policy, new PreferenceRecords()), skipped);
    }

    @Test
    void unpairedRecordsCarryTheirCompletionAndLabel() {
        Path p = Fixtures.write(dir, "kto.jsonl",
                "{\"prompt\":\"2+2?\",\"completion\":\"4\",\"label\":true,\"id\":\"k1\",\"difficulty\":2}",
                "{\"prompt\":\"2+2?\",\"completion\":\"5\",\"label\":false}",
                "{\"prompt\":\"3+3?\",\"chosen\":\"6\",\"rejected\":\"7\"}");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = read(p, BadRecordPolicy.FAIL, skipped);
        assertEquals(3, ex.size());
        assertEquals("4", ex.get(0).attributes().get(PreferenceRecords.COMPLETION));
        assertEquals("true", ex.get(0).attributes().get(PreferenceRecords.LABEL));
        assertEquals("4", ex.get(0).referenceSolution()); // a desirable completion is a reference solution
        assertEquals(2, ex.get(0).difficulty());
        assertEquals("false", ex.get(1).attributes().get(PreferenceRecords.LABEL));
        assertNull(ex.get(1).referenceSolution());
        assertEquals("kto.jsonl:2", ex.get(1).id());
        assertEquals("6", ex.get(2).attributes().get(PreferenceRecords.CHOSEN)); // pairs still read in the same file
        assertTrue(skipped.isEmpty());
    }

    @Test
    void badLabelsAreBadRecordsNamingTheField() {
        Path p = Fixtures.write(dir, "bad.jsonl",
                "{\"prompt\":\"a\",\"completion\":\"x\",\"label\":\"yes\"}",
                "{\"prompt\":\"a\",\"completion\":\"x\"}",
                "{\"prompt\":\"a\",\"completion\":\"x\",\"label\":1}",
                "{\"prompt\":\"a\",\"label\":true}",
                "{\"prompt\":\"a\",\"completion\":\"x\",\"label\":true,\"chosen\":\"y\",\"rejected\":\"z\"}",
                "{\"prompt\":\"a\",\"completion\":\"x\",\"label\":false}");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = read(p, BadRecordPolicy.SKIP, skipped);
        assertEquals(1, ex.size());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), skipped.stream().map(DataIssue::line).toList());
        assertTrue(skipped.get(0).reason()
                        .contains("field 'label' must be true or false (a JSON boolean; got \"yes\")"),
                skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("needs a 'label': true for a desirable completion"),
                skipped.get(1).reason());
        assertTrue(skipped.get(2).reason().contains("must be true or false"), skipped.get(2).reason());
        assertTrue(skipped.get(3).reason().contains("missing field 'completion'"), skipped.get(3).reason());
        assertTrue(skipped.get(4).reason().contains("not both"), skipped.get(4).reason());

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> read(p, BadRecordPolicy.FAIL, new ArrayList<>()));
        assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("'label' must be true or false"),
                e.getMessage());
    }
}
