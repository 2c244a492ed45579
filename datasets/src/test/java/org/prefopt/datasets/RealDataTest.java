package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.JsonlSource;
import org.prefopt.datasets.math.MathDataset;
import org.prefopt.datasets.numeric.NumericAnswer;
import org.prefopt.datasets.split.Splits;
import org.prefopt.datasets.stats.DatasetStatistics;

/** The real files in /work/shared/data (read-only copies); skipped where they are absent. */
@Tag("slow")
class RealDataTest {

    private static final Path DATA = Path.of(System.getProperty("prefopt.data", "/work/shared/data"));

    private static Path file(String rel) {
        Path p = DATA.resolve(rel);
        assumeTrue(Files.isRegularFile(p), "no " + p);
        return p;
    }

    @Test
    void gsm8k() {
        List<Example> test = Fixtures.read(new RecordFileDataset("gsm8k", file("gsm8k/test.jsonl"),
                BadRecordPolicy.FAIL, new Gsm8kRecords()));
        assertEquals(1319, test.size());
        DatasetStatistics s = DatasetStatistics.of(test.stream(), List.of());
        System.out.println("GSM8K test\n" + s.toText());
        assertEquals(1319, s.numeric().get("integer") + s.numeric().get("decimal"));
        assertEquals(0, test.stream().filter(e -> e.referenceSolution().contains("<<")).count());
        List<Example> train = Fixtures.read(new RecordFileDataset("gsm8k", file("gsm8k/train.jsonl"),
                BadRecordPolicy.FAIL, new Gsm8kRecords()));
        assertEquals(7473, train.size());
        System.out.println("GSM8K train/test prompt duplicates: " + Splits.duplicates(train, test).size());
    }

    @Test
    void mathTest() {
        List<Example> test = Fixtures.read(new MathDataset(file("math/test.jsonl"), BadRecordPolicy.FAIL));
        assertEquals(5000, test.size());
        DatasetStatistics s = DatasetStatistics.of(test.stream(), List.of());
        System.out.println("MATH test\n" + s.toText());
        assertEquals(Map.of(1, 437L, 2, 894L, 3, 1131L, 4, 1214L, 5, 1324L), s.perDifficulty());
    }

    @Test
    void mathTrainHasTwoUnknownLevelsAndTwoEmptyAnswers() {
        Path p = file("math/train.jsonl");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(new MathDataset(p, BadRecordPolicy.FAIL)));
        assertEquals(2004, e.issue().line());
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> train = Fixtures.read(new MathDataset(p, BadRecordPolicy.SKIP), skipped);
        assertEquals(7496, train.size());
        assertEquals(List.of(2004L, 2254L, 7037L, 7437L), skipped.stream().map(DataIssue::line).toList());
        System.out.println("MATH train\n" + DatasetStatistics.of(train.stream(), skipped).toText());
    }

    /**
     * test.jsonl has solutions and no answer field, train.jsonl answers and no solutions; where a problem occurs in
     * both, the answer extracted from the solution must equal the answer field. Prints the agreement.
     */
    @Test
    void extractedAnswersAgreeWithAnswerField() {
        List<Example> test = Fixtures.read(new MathDataset(file("math/test.jsonl"), BadRecordPolicy.FAIL));
        List<Example> train = Fixtures.read(new MathDataset(file("math/train.jsonl"), BadRecordPolicy.SKIP),
                new ArrayList<>());
        Map<String, String> answers = new HashMap<>();
        train.forEach(e -> answers.put(Splits.normalisePrompt(e.prompt()), e.goldAnswer()));
        int both = 0;
        int agree = 0;
        for (Example e : test) {
            String a = answers.get(Splits.normalisePrompt(e.prompt()));
            if (a != null) {
                both++;
                if (a.replace(" ", "").equals(e.goldAnswer().replace(" ", ""))) {
                    agree++;
                }
            }
        }
        long numeric = test.stream().filter(e -> NumericAnswer.isNumeric(e.goldAnswer())).count();
        System.out.println("MATH test: problems also in train.jsonl: " + both + ", extracted answer agrees: " + agree
                + "; numeric gold answers " + numeric + " of " + test.size());
        assertEquals(both, agree);
    }

    /** Each real file, converted to Parquet (snappy, a row group every 1000 rows), reads as its JSONL does. */
    @Test
    void realFilesAsParquetGiveTheSameExamplesAndSkippedRecords(@TempDir Path dir) throws IOException {
        for (String rel : List.of("gsm8k/test.jsonl", "gsm8k/train.jsonl", "math/test.jsonl", "math/train.jsonl")) {
            Path jsonl = file(rel);
            List<Map<String, Object>> records = new ArrayList<>();
            Set<String> columns = new LinkedHashSet<>();
            for (String line : Files.readAllLines(jsonl)) {
                Map<String, Object> r = new LinkedHashMap<>();
                JsonlSource.MAPPER.readTree(line).fields()
                        .forEachRemaining(f -> r.put(f.getKey(), f.getValue().asText()));
                columns.addAll(r.keySet());
                records.add(r);
            }
            MessageType schema = ParquetFixtures.schema(columns.stream()
                    .map(c -> " optional binary " + c + " (STRING);")
                    .collect(Collectors.joining("", "message m {", "}")));
            Path parquet = ParquetFixtures.write(dir.resolve(rel.replace('/', '-') + ".parquet"), schema,
                    CompressionCodecName.SNAPPY, 1000, ParquetFixtures.rows(schema, records));
            boolean math = rel.startsWith("math");
            List<DataIssue> fromJsonl = new ArrayList<>();
            List<DataIssue> fromParquet = new ArrayList<>();
            List<Example> expected = Fixtures.read(math ? new MathDataset(jsonl, BadRecordPolicy.SKIP)
                    : new RecordFileDataset("gsm8k", jsonl, BadRecordPolicy.SKIP, new Gsm8kRecords()), fromJsonl);
            List<Example> actual = Fixtures.read(math ? new MathDataset(parquet, BadRecordPolicy.SKIP)
                    : new RecordFileDataset("gsm8k", parquet, BadRecordPolicy.SKIP, new Gsm8kRecords()), fromParquet);
            assertEquals(ParquetTest.numbered(expected), ParquetTest.numbered(actual), rel);
            assertEquals(ParquetTest.numberedIssues(fromJsonl), ParquetTest.numberedIssues(fromParquet), rel);
            System.out.println(rel + " as Parquet (" + Files.size(parquet) + " bytes): " + actual.size()
                    + " examples, " + fromParquet.size() + " skipped, as from JSONL");
        }
    }

    /** The real train files split into three JSONL shards (as {@code split -n l/3} would) give the same statistics. */
    @Test
    void realFilesSplitIntoShardsGiveTheSameStatistics(@TempDir Path dir) throws IOException {
        for (String rel : List.of("gsm8k/train.jsonl", "math/train.jsonl")) {
            Path jsonl = file(rel);
            List<String> lines = Files.readAllLines(jsonl);
            Path shards = Files.createDirectories(dir.resolve(rel.replace('/', '-')));
            for (int i = 0; i < 3; i++) {
                Files.write(shards.resolve("part-a" + (char) ('a' + i)),
                        lines.subList(i * lines.size() / 3, (i + 1) * lines.size() / 3));
            }
            String type = rel.startsWith("math") ? "math" : "gsm8k";
            DatasetStatistics expected = DatasetStatistics.compute(FormatOptionTest.dataset(type,
                    Map.of("path", jsonl.toString(), "on-bad-record", "skip")), List.of());
            DatasetStatistics actual = DatasetStatistics.compute(FormatOptionTest.dataset(type,
                    Map.of("path", shards.resolve("part-*").toString(), "on-bad-record", "skip")), List.of());
            assertEquals(expected.read(), actual.read(), rel);
            assertEquals(expected.perDifficulty(), actual.perDifficulty(), rel);
            assertEquals(expected.numeric(), actual.numeric(), rel);
            assertEquals(expected.perSubject(), actual.perSubject(), rel);
            assertEquals(expected.skippedByReason(), actual.skippedByReason(), rel);
            System.out.println(rel + " in 3 shards: " + actual.read() + " examples, " + actual.perDifficulty()
                    + ", " + actual.skipped().size() + " skipped, as from the single file");
        }
    }
}
