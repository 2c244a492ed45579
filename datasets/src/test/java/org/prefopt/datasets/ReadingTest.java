package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.jsonl.FieldMapping;
import org.prefopt.datasets.preference.PreferenceRecords;

/** GSM8K, generic JSONL and preference pairs, and every kind of bad input. */
class ReadingTest {

    @TempDir
    Path dir;

    private static final String GOOD = "{\"question\":\"Janet has 3 ducks.\",\"answer\":"
            + "\"She buys 2 more: 3+2=<<3+2=5>>5.\\nThen 5*1,000=<<5*1000=5000>>5000.\\n#### 5,000\"}";

    private Dataset gsm8k(Path p, BadRecordPolicy policy) {
        return new RecordFileDataset("gsm8k", p, policy, new Gsm8kRecords());
    }

    @Test
    void gsm8kGoldStepsAndAnnotations() {
        Path p = Fixtures.write(dir, "test.jsonl", GOOD,
                "{\"question\":\"Q2\",\"answer\":\"Only one line\\n#### -7\"}");
        List<Example> ex = Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL));
        assertEquals(2, ex.size());
        Example e = ex.get(0);
        assertEquals("5000", e.goldAnswer());
        assertEquals(2, e.difficulty());
        assertEquals("test.jsonl:1", e.id());
        assertEquals("She buys 2 more: 3+2=5.\nThen 5*1,000=5000.\n#### 5,000", e.referenceSolution());
        assertTrue(e.origin().endsWith("test.jsonl:1"));
        assertEquals("-7", ex.get(1).goldAnswer());
        assertEquals(1, ex.get(1).difficulty());
    }

    @Test
    void missingFileNamesThePath() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(dir.resolve("nope.jsonl"), BadRecordPolicy.SKIP)));
        assertTrue(e.getMessage().contains("nope.jsonl") && e.getMessage().contains("file not found"),
                e.getMessage());
    }

    @Test
    void emptyFileIsAnErrorUnderBothPolicies() {
        Path empty = Fixtures.write(dir, "empty.jsonl");
        Path blank = Fixtures.write(dir, "blank.jsonl", "", "   ", "");
        for (Path p : List.of(empty, blank)) {
            for (BadRecordPolicy policy : BadRecordPolicy.values()) {
                DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(p, policy)));
                assertTrue(e.getMessage().contains("file is empty") && e.getMessage().contains(p.toString()),
                        e.getMessage());
            }
        }
    }

    @Test
    void invalidJsonFailsWithFileAndLine() {
        Path p = Fixtures.write(dir, "bad.jsonl", GOOD, "{\"question\": \"x\", ", GOOD);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL)));
        assertEquals(2, e.issue().line());
        assertTrue(e.getMessage().startsWith(p + ":2: invalid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("on-bad-record = skip"), e.getMessage());
    }

    @Test
    void trailingGarbageAfterTheObjectIsInvalid() {
        Path p = Fixtures.write(dir, "trail.jsonl", GOOD + " 42");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL)));
        assertEquals(1, e.issue().line());
    }

    @Test
    void missingFieldAndMissingMarkerAreBadRecords() {
        Path p = Fixtures.write(dir, "f.jsonl", "{\"question\":\"q\"}", "{\"question\":\"q\",\"answer\":\"no marker\"}",
                "[1,2]", "{\"question\":7,\"answer\":\"#### 1\"}", GOOD);
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP), skipped);
        assertEquals(1, ex.size());
        assertEquals("f.jsonl:5", ex.get(0).id());
        assertEquals(4, skipped.size());
        assertEquals(List.of(1L, 2L, 3L, 4L), skipped.stream().map(DataIssue::line).toList());
        assertTrue(skipped.get(0).reason().contains("missing field 'answer'"), skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("####"), skipped.get(1).reason());
        assertTrue(skipped.get(2).reason().contains("expected a JSON object"), skipped.get(2).reason());
        assertTrue(skipped.get(3).reason().contains("'question' must be a string"), skipped.get(3).reason());
        assertTrue(skipped.get(0).file().endsWith("f.jsonl"));
    }

    @Test
    void nonUtf8ByteIsReportedOnItsLine() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // Enough good lines that the bad byte sits well past the first read buffer.
        for (int i = 0; i < 2000; i++) {
            b.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        b.write("{\"question\":\"caf".getBytes(StandardCharsets.UTF_8));
        b.write(0xE9); // Latin-1 é
        b.write("\",\"answer\":\"#### 1\"}\n".getBytes(StandardCharsets.UTF_8));
        b.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        Path p = Fixtures.writeBytes(dir, "latin1.jsonl", b.toByteArray());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL)));
        assertEquals(2001, e.issue().line());
        assertTrue(e.getMessage().contains("not valid UTF-8: byte 0xE9 at byte offset 16"), e.getMessage());
        List<DataIssue> skipped = new ArrayList<>();
        assertEquals(2001, Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP), skipped).size());
        assertEquals(2001, skipped.get(0).line());
    }

    @Test
    void crlfBomAndBlankLinesAreHandled() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = (GOOD + "\r\n\r\n" + GOOD + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        Path p = Fixtures.writeBytes(dir, "crlf.jsonl", all);
        List<Example> ex = Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL));
        assertEquals(List.of("crlf.jsonl:1", "crlf.jsonl:3"), ex.stream().map(Example::id).toList());
    }

    @Test
    void lastLineWithoutNewline() throws Exception {
        Path p = Fixtures.writeBytes(dir, "nonl.jsonl", (GOOD + "\n" + GOOD).getBytes(StandardCharsets.UTF_8));
        assertEquals(2, Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL)).size());
    }

    @Test
    void jsonlWithConfiguredFields() {
        Path p = Fixtures.write(dir, "custom.jsonl",
                "{\"q\":\"What is 2+2?\",\"a\":\"4\",\"lvl\":3,\"key\":\"k1\",\"sol\":\"2+2=4\",\"topic\":\"add\"}",
                "{\"q\":\"What is 3+3?\",\"a\":\"6\",\"lvl\":\"2\",\"key\":\"k2\",\"sol\":\"\",\"topic\":\"add\"}",
                "{\"q\":\"What is 3+3?\",\"a\":\"6\",\"lvl\":0,\"key\":\"k3\",\"sol\":\"\",\"topic\":\"add\"}",
                "{\"q\":\"What is 3+3?\",\"lvl\":1,\"key\":\"k4\",\"sol\":\"\",\"topic\":\"add\"}");
        FieldMapping m = new FieldMapping("q", "a", "lvl", "key", "sol", "topic");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(new RecordFileDataset("jsonl", p, BadRecordPolicy.SKIP, m), skipped);
        assertEquals(2, ex.size());
        assertEquals(new Example("k1", "What is 2+2?", "4", "2+2=4", 3, "add", p + ":1", null), ex.get(0));
        assertEquals(2, ex.get(1).difficulty());
        assertEquals(2, skipped.size());
        assertTrue(skipped.get(0).reason().contains("'lvl' must be a positive integer"), skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("missing field 'a'"), skipped.get(1).reason());

        FieldMapping minimal = new FieldMapping("q", "", "", "", "", "");
        Example e = Fixtures.read(new RecordFileDataset("jsonl", p, BadRecordPolicy.FAIL, minimal)).get(0);
        assertEquals("custom.jsonl:1", e.id());
        assertNull(e.goldAnswer());
        assertEquals(Example.UNKNOWN_DIFFICULTY, e.difficulty());
    }

    @Test
    void preferencePairsGoToAttributes() {
        Path p = Fixtures.write(dir, "pairs.jsonl",
                "{\"prompt\":\"2+2?\",\"chosen\":\"4\",\"rejected\":\"5\",\"difficulty\":1,\"id\":\"p1\"}",
                "{\"prompt\":\"3+3?\",\"chosen\":\"6\",\"rejected\":\"7\"}",
                "{\"prompt\":\"3+3?\",\"chosen\":\"6\",\"rejected\":\"6\"}",
                "{\"prompt\":\"3+3?\",\"chosen\":\"6\"}");
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(new RecordFileDataset("preference-jsonl", p, BadRecordPolicy.SKIP,
                new PreferenceRecords()), skipped);
        assertEquals(2, ex.size());
        assertEquals("p1", ex.get(0).id());
        assertEquals("4", ex.get(0).attributes().get(PreferenceRecords.CHOSEN));
        assertEquals("5", ex.get(0).attributes().get(PreferenceRecords.REJECTED));
        assertEquals(1, ex.get(0).difficulty());
        assertEquals("pairs.jsonl:2", ex.get(1).id());
        assertEquals(Example.UNKNOWN_DIFFICULTY, ex.get(1).difficulty());
        assertEquals(List.of(3L, 4L), skipped.stream().map(DataIssue::line).toList());
        assertTrue(skipped.get(0).reason().contains("identical"));
        assertTrue(skipped.get(1).reason().contains("missing field 'rejected'"));
    }

    @Test
    void streamIsLazyAndClosable() {
        Path p = Fixtures.write(dir, "lazy.jsonl", GOOD, "not json");
        // Only the first record is pulled, so the bad second line is never reached.
        try (var s = gsm8k(p, BadRecordPolicy.FAIL).examples(i -> { })) {
            assertEquals("lazy.jsonl:1", s.findFirst().orElseThrow().id());
        }
    }
}
