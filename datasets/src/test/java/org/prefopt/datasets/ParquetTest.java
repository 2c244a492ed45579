package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.JsonlSource;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.io.RecordParser;
import org.prefopt.datasets.math.MathDataset;

/**
 * Parquet files (as Hugging Face datasets exports them) read through the same record parsers as JSONL: the same
 * records both ways give the same examples and the same bad records; file-level problems fail with the file named.
 */
class ParquetTest {

    @TempDir
    Path dir;

    static final MessageType GSM8K = ParquetFixtures.schema(
            "message gsm8k { optional binary question (STRING); optional binary answer (STRING); }");

    static final MessageType MATH = ParquetFixtures.schema("message math { optional binary problem (STRING);"
            + " optional binary level (STRING); optional binary type (STRING); optional binary solution (STRING);"
            + " optional binary answer (STRING); optional binary unique_id (STRING); }");

    static final List<Map<String, Object>> GSM8K_RECORDS = List.of(
            record("question", "Janet has 3 ducks.", "answer",
                    "She buys 2 more: 3+2=<<3+2=5>>5.\nThen 5*1,000=<<5*1000=5000>>5000.\n#### 5,000"),
            record("question", "Q2", "answer", "Only one line\n#### -7"),
            record("question", "Q3", "answer", "no marker here"),
            record("question", "  Q4 with spaces  ", "answer", "a\n\nb\n#### 4"),
            record("question", null, "answer", "x\n#### 1"),
            record("question", "Q6 ünïcødé ∑", "answer", "#### 6"));

    static final List<Map<String, Object>> MATH_RECORDS = List.of(
            record("problem", "What is $1+1$?", "level", "Level 1", "type", "Algebra",
                    "solution", "It is $\\boxed{2}$."),
            record("problem", "Compute $\\frac{1}{2}+\\frac{1}{4}$.", "level", "Level 3", "type", "Prealgebra",
                    "solution", "We get $\\boxed{\\frac{3}{4}}$."),
            record("problem", "The real train file has this.", "level", "Level ?", "type", "Geometry",
                    "solution", "$\\boxed{5}$"),
            record("problem", "x?", "level", "Level 5", "type", "Algebra", "solution", "so \\boxed 7 done",
                    "answer", null),
            record("problem", "Given answer.", "level", "Level 2", "type", "Number Theory",
                    "solution", "long \\boxed{12}", "answer", "12", "unique_id", "test/number_theory/7.json"));

    // ---- the same examples as JSONL ------------------------------------------------------------------------

    @Test
    void gsm8kParquetGivesTheJsonlExamplesAndBadRecords() {
        Path jsonl = ParquetFixtures.writeJsonl(dir, "test.jsonl", GSM8K_RECORDS);
        Path parquet = parquet("test.parquet", GSM8K, GSM8K_RECORDS, CompressionCodecName.SNAPPY, 100);
        List<DataIssue> jsonlSkipped = new ArrayList<>();
        List<DataIssue> parquetSkipped = new ArrayList<>();
        List<Example> fromJsonl = Fixtures.read(gsm8k(jsonl, BadRecordPolicy.SKIP), jsonlSkipped);
        List<Example> fromParquet = Fixtures.read(gsm8k(parquet, BadRecordPolicy.SKIP), parquetSkipped);

        assertEquals(4, fromParquet.size());
        assertEquals(numbered(fromJsonl), numbered(fromParquet));
        assertEquals(numberedIssues(jsonlSkipped), numberedIssues(parquetSkipped));
        assertEquals(List.of(3L, 5L), parquetSkipped.stream().map(DataIssue::line).toList());
        assertEquals(parquet.toString(), parquetSkipped.get(0).file());

        Example first = fromParquet.get(0);
        assertEquals("test.parquet:1", first.id());
        assertEquals(parquet + ":1", first.origin());
        assertEquals("5000", first.goldAnswer());
        assertEquals(2, first.difficulty());
        assertEquals("She buys 2 more: 3+2=5.\nThen 5*1,000=5000.\n#### 5,000", first.referenceSolution());
        assertEquals("Q6 ünïcødé ∑", fromParquet.get(3).prompt());
    }

    @Test
    void mathParquetGivesTheJsonlExamplesAndSkipsLevelQuestionMark() {
        Path jsonl = ParquetFixtures.writeJsonl(dir, "train.jsonl", MATH_RECORDS);
        Path parquet = parquet("train.parquet", MATH, MATH_RECORDS, CompressionCodecName.SNAPPY, 100);
        List<DataIssue> jsonlSkipped = new ArrayList<>();
        List<DataIssue> parquetSkipped = new ArrayList<>();
        List<Example> fromJsonl = Fixtures.read(new MathDataset(jsonl, BadRecordPolicy.SKIP), jsonlSkipped);
        List<Example> fromParquet = Fixtures.read(new MathDataset(parquet, BadRecordPolicy.SKIP), parquetSkipped);

        assertEquals(4, fromParquet.size());
        assertEquals(numbered(fromJsonl), numbered(fromParquet));
        assertEquals(List.of(new DataIssue(parquet.toString(), 3,
                "level \"Level ?\" is not one of Level 1..Level 5")), parquetSkipped);
        assertEquals(numberedIssues(jsonlSkipped), numberedIssues(parquetSkipped));
        assertEquals(List.of("2", "\\frac{3}{4}", "7", "12"), fromParquet.stream().map(Example::goldAnswer).toList());
        assertEquals(List.of(1, 3, 5, 2), fromParquet.stream().map(Example::difficulty).toList());
        assertEquals("test/number_theory/7.json", fromParquet.get(3).id());
        assertEquals("Prealgebra", fromParquet.get(1).subject());
    }

    @Test
    void failNamesTheFileAndTheRowCountedFromOne() {
        Path parquet = parquet("train.parquet", MATH, MATH_RECORDS, CompressionCodecName.SNAPPY, 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(new MathDataset(parquet, BadRecordPolicy.FAIL)));
        assertEquals(3, e.issue().line());
        assertEquals(parquet + ":3: level \"Level ?\" is not one of Level 1..Level 5 (row 3, counting from 1;"
                + " set on-bad-record = skip to skip and count such records)", e.getMessage());
    }

    @Test
    void rowsAreNumberedAcrossRowGroups() throws IOException {
        List<Map<String, Object>> records = IntStream.rangeClosed(1, 25)
                .mapToObj(i -> record("question", "Q" + i, "answer",
                        i == 11 || i == 25 ? "no answer line" : "step\n#### " + i))
                .toList();
        Path parquet = parquet("many.parquet", GSM8K, records, CompressionCodecName.SNAPPY, 10);
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(parquet),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            assertEquals(3, r.getRowGroups().size());
        }
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(gsm8k(parquet, BadRecordPolicy.SKIP), skipped);
        assertEquals(List.of(11L, 25L), skipped.stream().map(DataIssue::line).toList());
        assertEquals(23, ex.size());
        assertEquals("many.parquet:12", ex.get(10).id());
        assertEquals("12", ex.get(10).goldAnswer());
        assertEquals("many.parquet:24", ex.get(22).id());
    }

    @Test
    void readsLazilyAndClosesEarly() {
        List<Map<String, Object>> records = IntStream.rangeClosed(1, 50)
                .mapToObj(i -> record("question", "Q" + i, "answer", "#### " + i)).toList();
        Path parquet = parquet("lazy.parquet", GSM8K, records, CompressionCodecName.SNAPPY, 10);
        try (Stream<Example> s = gsm8k(parquet, BadRecordPolicy.FAIL).examples(i -> { })) {
            assertEquals(List.of("1", "2", "3"), s.limit(3).map(Example::goldAnswer).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP", "LZ4_RAW"})
    void everyReadableCodecGivesTheSameExamples(CompressionCodecName codec) throws IOException {
        // Enough text for several pages per column chunk, and for the codecs to have something to compress.
        List<Map<String, Object>> records = IntStream.rangeClosed(1, 3000)
                .mapToObj(i -> record("question", "Question " + i + ": " + "how many apples? ".repeat(i % 7 + 1),
                        "answer", "step one\nstep two " + i + "\n#### " + i * 3))
                .toList();
        Path jsonl = ParquetFixtures.writeJsonl(dir, "c.jsonl", records);
        List<Example> expected = numbered(Fixtures.read(gsm8k(jsonl, BadRecordPolicy.FAIL)));
        for (WriterVersion pages : WriterVersion.values()) {
            Path parquet = ParquetFixtures.write(dir.resolve("c-" + codec + "-" + pages + ".parquet"), GSM8K, codec,
                    1000, ParquetFixtures.rows(GSM8K, records), pages);
            try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(parquet),
                    ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
                assertEquals(codec, r.getRowGroups().get(0).getColumns().get(0).getCodec());
            }
            assertEquals(expected, numbered(Fixtures.read(gsm8k(parquet, BadRecordPolicy.FAIL))), pages.name());
        }
    }

    // ---- rows as JSON ---------------------------------------------------------------------------------------

    @Test
    void rowsBecomeTheJsonALineWouldHold() {
        MessageType schema = ParquetFixtures.schema("message m { required binary s (STRING); optional int32 i;"
                + " optional int64 l; optional double d; optional float f; optional boolean b;"
                + " optional group tags (LIST) { repeated group list { optional binary element (STRING); } }"
                + " optional group meta { optional binary source (STRING); optional int32 year; }"
                + " repeated int32 legacy; optional int32 u (INTEGER(32,false)); optional binary e (ENUM); }");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        Group full = f.newGroup().append("s", "a").append("i", 1).append("l", 1L << 40).append("d", 0.5)
                .append("f", 0.1f).append("b", true).append("legacy", 3).append("legacy", 4).append("u", -1)
                .append("e", "RED");
        Group tags = full.addGroup("tags");
        tags.addGroup("list").append("element", "x");
        tags.addGroup("list");
        tags.addGroup("list").append("element", "y");
        full.addGroup("meta").append("source", "hf");
        Group empty = f.newGroup().append("s", "b");
        Path parquet = ParquetFixtures.write(dir.resolve("m.parquet"), schema, CompressionCodecName.SNAPPY, 100,
                List.of(full, empty));

        List<JsonNode> rows = rowsAsJson(parquet);
        assertEquals(json("{\"s\":\"a\",\"i\":1,\"l\":1099511627776,\"d\":0.5,\"f\":0.1,\"b\":true,"
                + "\"tags\":[\"x\",null,\"y\"],\"meta\":{\"source\":\"hf\",\"year\":null},\"legacy\":[3,4],"
                + "\"u\":4294967295,\"e\":\"RED\"}"), rows.get(0));
        assertEquals(json("{\"s\":\"b\",\"i\":null,\"l\":null,\"d\":null,\"f\":null,\"b\":null,\"tags\":null,"
                + "\"meta\":null,\"legacy\":[],\"u\":null,\"e\":null}"), rows.get(1));
    }

    @Test
    void decimalsAreExactAndBinaryStaysBinary() {
        MessageType schema = ParquetFixtures.schema("message m { optional int32 price (DECIMAL(5,2));"
                + " optional binary big (DECIMAL(30,3)); optional binary raw; }");
        Group g = new SimpleGroupFactory(schema).newGroup().append("price", 250)
                .append("big", org.apache.parquet.io.api.Binary.fromConstantByteArray(
                        new java.math.BigInteger("123456789012345678901234567").toByteArray()))
                .append("raw", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[] {1, 2, (byte) 255}));
        Path parquet = ParquetFixtures.write(dir.resolve("d.parquet"), schema, CompressionCodecName.SNAPPY, 100,
                List.of(g));
        JsonNode row = rowsAsJson(parquet).get(0);
        assertEquals(new BigDecimal("2.50"), row.get("price").decimalValue());
        assertEquals(new BigDecimal("123456789012345678901234.567"), row.get("big").decimalValue());
        assertTrue(row.get("raw").isBinary());
        assertArrayEquals(new byte[] {1, 2, (byte) 255}, Arrays.copyOf(binary(row.get("raw")), 3));

        // A parser that wants text from a binary column says what it got, per row, like for JSONL.
        MessageType g8 = ParquetFixtures.schema("message m { optional binary question; optional binary answer; }");
        Path p = parquet("bin.parquet", g8, List.of(record("question", "Q".getBytes(), "answer",
                "#### 1".getBytes())), CompressionCodecName.SNAPPY, 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.FAIL)));
        assertTrue(e.getMessage().startsWith(p + ":1: field 'question' must be a string (got binary)"),
                e.getMessage());
    }

    // ---- bad rows -------------------------------------------------------------------------------------------

    @Test
    void invalidUtf8IsABadRecordWithItsRow() {
        Path p = parquet("utf.parquet", GSM8K, List.of(
                record("question", "fine", "answer", "#### 1"),
                record("question", new byte[] {'b', 'a', 'd', (byte) 0xC3, '('}, "answer", "#### 2"),
                record("question", "fine too", "answer", "#### 3")), CompressionCodecName.SNAPPY, 100);
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP), skipped);
        assertEquals(List.of("1", "3"), ex.stream().map(Example::goldAnswer).toList());
        assertEquals(List.of(new DataIssue(p.toString(), 2,
                "column 'question' is not valid UTF-8 (re-encode the text as UTF-8)")), skipped);
    }

    @Test
    void aColumnOfAnotherTypeIsABadRecordPerRow() {
        MessageType schema = ParquetFixtures.schema(
                "message m { optional binary question (STRING); optional int64 answer; }");
        Path p = parquet("num.parquet", schema, List.of(record("question", "Q", "answer", 7L)),
                CompressionCodecName.SNAPPY, 100);
        List<DataIssue> skipped = new ArrayList<>();
        assertEquals(List.of(), Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP), skipped));
        assertEquals(List.of(new DataIssue(p.toString(), 1, "field 'answer' must be a string (got number)")),
                skipped);
    }

    // ---- file-level problems --------------------------------------------------------------------------------

    @Test
    void aTextFileNamedParquetIsRefusedWithAHint() {
        Path p = Fixtures.write(dir, "oops.parquet", "{\"question\":\"q\",\"answer\":\"#### 1\"}");
        for (BadRecordPolicy policy : BadRecordPolicy.values()) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(p, policy)));
            assertEquals(p + ": is not a Parquet file: " + p.toAbsolutePath() + " (a Parquet file starts and ends"
                    + " with the bytes PAR1; it looks like JSONL: name it *.jsonl, or set format = jsonl or auto)",
                    e.getMessage());
        }
        Path junk = Fixtures.writeBytes(dir, "junk.parquet", "hello, world, not parquet".getBytes());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(junk, BadRecordPolicy.SKIP)));
        assertTrue(e.getMessage().endsWith("(a Parquet file starts and ends with the bytes PAR1)"), e.getMessage());
    }

    @Test
    void aCutShortFileIsRefused() throws IOException {
        Path whole = parquet("whole.parquet", GSM8K, GSM8K_RECORDS, CompressionCodecName.SNAPPY, 100);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Fixtures.writeBytes(dir, "cut.parquet", Arrays.copyOf(bytes, bytes.length - 10));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(cut, BadRecordPolicy.SKIP)));
        assertTrue(e.getMessage().contains("is not a Parquet file") && e.getMessage().contains("cut short"),
                e.getMessage());
    }

    @Test
    void aMissingColumnIsOneErrorBeforeAnyRow() {
        Path math = parquet("math.parquet", MATH, MATH_RECORDS, CompressionCodecName.SNAPPY, 100);
        for (BadRecordPolicy policy : BadRecordPolicy.values()) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> Fixtures.read(gsm8k(math, policy)));
            assertEquals(0, e.issue().line());
            assertEquals(math + ": has no column 'question' (its columns: [problem, level, type, solution, answer,"
                    + " unique_id]; this dataset type needs [question, answer]): is it the right file for this"
                    + " dataset type? (type jsonl: set its *-field options to the file's column names)",
                    e.getMessage());
        }
    }

    @Test
    void severalMissingColumnsAreListed() {
        MessageType text = ParquetFixtures.schema("message m { optional binary text (STRING); }");
        Path p = parquet("text.parquet", text, List.of(record("text", "t")), CompressionCodecName.SNAPPY, 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP)));
        assertTrue(e.getMessage().startsWith(p + ": has no columns 'question', 'answer' (its columns: [text];"),
                e.getMessage());
    }

    @Test
    void anUnsupportedColumnTypeIsNamed() {
        MessageType schema = ParquetFixtures.schema("message m { optional binary question (STRING);"
                + " optional binary answer (STRING); optional int64 created (TIMESTAMP(MILLIS,true)); }");
        Path p = parquet("ts.parquet", schema, List.of(record("question", "q", "answer", "#### 1", "created", 5L)),
                CompressionCodecName.SNAPPY, 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP)));
        assertEquals(p + ": column 'created' has the type 'optional int64 created (TIMESTAMP(MILLIS,true))', which"
                + " prefopt cannot read (it reads strings, integers, floating-point numbers, booleans, decimals,"
                + " binary, and lists and structs of these); drop or convert the column, e.g. with datasets'"
                + " remove_columns or cast", e.getMessage());

        MessageType map = ParquetFixtures.schema("message m { optional binary question (STRING);"
                + " optional binary answer (STRING); optional group meta (MAP) { repeated group key_value {"
                + " required binary key (STRING);"
                + " optional int32 value; } } }");
        Path pm = ParquetFixtures.write(dir.resolve("map.parquet"), map, CompressionCodecName.SNAPPY, 100,
                List.of(new SimpleGroupFactory(map).newGroup().append("question", "q")));
        DataFormatException em = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(pm, BadRecordPolicy.SKIP)));
        assertTrue(em.getMessage().startsWith(pm + ": column 'meta' has the type 'optional group meta (MAP)"),
                em.getMessage());
    }

    @Test
    void aFileWithoutRowsIsEmpty() {
        Path p = parquet("none.parquet", GSM8K, List.of(), CompressionCodecName.SNAPPY, 100);
        for (BadRecordPolicy policy : BadRecordPolicy.values()) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(p, policy)));
            assertEquals(p + ": file is empty: it holds no rows", e.getMessage());
        }
    }

    @Test
    void aCodecWithoutADecoderIsRefusedBeforeReading() {
        Path p = parquet("br.parquet", GSM8K, GSM8K_RECORDS, CompressionCodecName.BROTLI, 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(p, BadRecordPolicy.SKIP)));
        assertEquals(p + ": compressed with [BROTLI], which prefopt cannot decompress (it reads [UNCOMPRESSED,"
                + " SNAPPY, GZIP, ZSTD, LZ4_RAW]); write the file again with one of those, e.g. pyarrow's"
                + " pq.write_table(table, path, compression='snappy')", e.getMessage());
    }

    @Test
    void aParquetFileReadAsJsonlIsRefusedWithAHint() {
        Path p = parquet("data.parquet", GSM8K, GSM8K_RECORDS, CompressionCodecName.SNAPPY, 100);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(
                new RecordFileDataset("gsm8k", p, RecordFormat.JSONL, BadRecordPolicy.SKIP, new Gsm8kRecords())));
        assertEquals(p + ": is a Parquet file, not JSONL: " + p.toAbsolutePath()
                + " (name it *.parquet, or set format = parquet or auto)", e.getMessage());
    }

    @Test
    void theFormatOptionOverridesTheFileName() throws IOException {
        Path p = parquet("data.bin", GSM8K, GSM8K_RECORDS, CompressionCodecName.SNAPPY, 100);
        assertEquals(RecordFormat.JSONL, RecordFormat.of("auto", p));
        assertEquals(RecordFormat.PARQUET, RecordFormat.of("auto", Path.of("x/TRAIN.PARQUET")));
        List<Example> ex = Fixtures.read(new RecordFileDataset("gsm8k", p, RecordFormat.of("parquet", p),
                BadRecordPolicy.SKIP, new Gsm8kRecords()), new ArrayList<>());
        assertEquals(4, ex.size());
        assertThrows(IllegalArgumentException.class, () -> RecordFormat.of("csv", p));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Path parquet(String name, MessageType schema, List<Map<String, Object>> records,
                         CompressionCodecName codec, int rowsPerGroup) {
        return ParquetFixtures.write(dir.resolve(name), schema, codec, rowsPerGroup,
                ParquetFixtures.rows(schema, records));
    }

    private static Dataset gsm8k(Path p, BadRecordPolicy policy) {
        return new RecordFileDataset("gsm8k", p, policy, new Gsm8kRecords());
    }

    /** Every row of the file as the JSON tree the record parsers receive. */
    static List<JsonNode> rowsAsJson(Path parquet) {
        List<JsonNode> rows = new ArrayList<>();
        RecordParser capture = (record, fileName, origin, line) -> {
            rows.add(record);
            return new Example(fileName + ":" + line, "p", null, null, 0, null, origin, null);
        };
        Fixtures.read(new RecordFileDataset("rows", parquet, BadRecordPolicy.FAIL, capture));
        return rows;
    }

    static JsonNode json(String text) {
        try {
            return JsonlSource.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n.binaryValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records with null values kept (Map.of refuses nulls), in the order given. */
    static Map<String, Object> record(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Examples with the file name taken out of ids and origins, which differ only by the file's extension. */
    static List<Example> numbered(List<Example> examples) {
        return examples.stream().map(e -> new Example(e.id().replaceFirst("^[^/]*\\.(jsonl|parquet):", "#"),
                e.prompt(), e.goldAnswer(), e.referenceSolution(), e.difficulty(), e.subject(),
                e.origin().substring(e.origin().lastIndexOf(':')), e.attributes())).toList();
    }

    static List<String> numberedIssues(List<DataIssue> issues) {
        return issues.stream().map(i -> i.line() + ": " + i.reason()).toList();
    }
}
