package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.filter.DifficultyFilter;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.math.MathDataset;
import org.prefopt.datasets.split.Splits;
import org.prefopt.datasets.stats.DatasetStatistics;

/**
 * A dataset's path naming a set of shards (a pattern in the last segment, or a directory), as Hugging Face exports
 * are laid out: the shards are read in name order as one dataset, each keeping its own ids and bad-record locations.
 */
class ShardSetTest {

    private static final String SKIP_HINT = "set on-bad-record = skip to skip and count such records";

    @TempDir
    Path dir;

    // ---- reading -------------------------------------------------------------------------------------------

    @Test
    void aPatternReadsTheMatchingFilesInNameOrderAsOneDataset() {
        List<Map<String, Object>> records = gsm8k(12);
        Path single = ParquetFixtures.writeJsonl(dir.resolve("single"), "all.jsonl", records);
        Path shards = dir.resolve("shards");
        // Written last-first: the order is the names', not the directory's.
        for (int i = 2; i >= 0; i--) {
            ParquetFixtures.writeJsonl(shards, "part-" + i + ".jsonl", records.subList(4 * i, 4 * i + 4));
        }
        Fixtures.write(shards, "other.jsonl", "{\"question\":\"not matched\",\"answer\":\"#### 1\"}");

        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(gsm8k(shards.resolve("part-*.jsonl"), BadRecordPolicy.SKIP), skipped);
        List<Example> expected = Fixtures.read(gsm8k(single, BadRecordPolicy.SKIP), new ArrayList<>());
        assertEquals(contents(expected), contents(ex));
        assertEquals(List.of("part-0.jsonl:1", "part-0.jsonl:2", "part-0.jsonl:3", "part-1.jsonl:1", "part-1.jsonl:2",
                "part-1.jsonl:3", "part-1.jsonl:4", "part-2.jsonl:1", "part-2.jsonl:2", "part-2.jsonl:4"),
                ex.stream().map(Example::id).toList());
        assertEquals(shards.resolve("part-1.jsonl") + ":1", ex.get(3).origin());
        assertEquals(Set.of(), Splits.duplicateIds(ex));
        // Record 3 (shard 0, line 4) and record 10 (shard 2, line 3) have no '####' line.
        assertEquals(List.of(new DataIssue(shards.resolve("part-0.jsonl").toString(), 4, NO_MARKER),
                new DataIssue(shards.resolve("part-2.jsonl").toString(), 3, NO_MARKER)), skipped);

        // Lexicographic, not numeric: Hugging Face pads its shard numbers so that the two agree.
        Fixtures.write(dir.resolve("lex"), "s-9.jsonl", "{\"question\":\"nine\",\"answer\":\"#### 9\"}");
        Fixtures.write(dir.resolve("lex"), "s-10.jsonl", "{\"question\":\"ten\",\"answer\":\"#### 10\"}");
        assertEquals(List.of("ten", "nine"), Fixtures.read(gsm8k(dir.resolve("lex/s-*.jsonl"))).stream()
                .map(Example::prompt).toList());
    }

    @Test
    void parquetShardsByPatternAndAsADirectoryGiveTheSingleFilesExamples() throws IOException {
        List<Map<String, Object>> records = gsm8k(12);
        Path single = parquet(dir.resolve("single/all.parquet"), records);
        Path data = dir.resolve("data");
        writeParquetShards(data, "train", records, 3);
        Fixtures.write(data, "README.md", "# not data");
        Fixtures.write(data, ".cache/huggingface/x.jsonl", "{}"); // what a hub download leaves: passed over
        Fixtures.write(data, ".hidden.jsonl", "{}");
        List<Example> expected = Fixtures.read(gsm8k(single, BadRecordPolicy.SKIP), new ArrayList<>());

        for (String path : List.of(data.resolve("train-*.parquet").toString(), data.toString())) {
            assertEquals(List.of(), FormatOptionTest.problems("gsm8k", Map.of("path", path)), path);
            List<DataIssue> skipped = new ArrayList<>();
            List<Example> ex = Fixtures.read(FormatOptionTest.dataset("gsm8k", Map.of("path", path,
                    "on-bad-record", "skip")), skipped);
            assertEquals(contents(expected), contents(ex), path);
            assertEquals("train-00000-of-00003.parquet:1", ex.get(0).id());
            assertEquals("train-00001-of-00003.parquet:1", ex.get(3).id());
            assertEquals(List.of(data.resolve("train-00000-of-00003.parquet") + ":4",
                    data.resolve("train-00002-of-00003.parquet") + ":3"), skipped.stream()
                    .map(i -> i.file() + ":" + i.line()).toList());
        }
    }

    @Test
    void aBadRecordInTheSecondShardIsReportedWithThatShardsNameAndLine() {
        Path shards = dir.resolve("shards");
        Fixtures.write(shards, "part-0.jsonl", good(1), good(2));
        Path second = Fixtures.write(shards, "part-1.jsonl", good(3), "{\"question\":\"bad\",\"answer\":\"7\"}",
                good(4));
        Fixtures.write(shards, "part-2.jsonl", good(5));

        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(gsm8k(shards.resolve("part-*"), BadRecordPolicy.SKIP), skipped);
        assertEquals(List.of("Q1", "Q2", "Q3", "Q4", "Q5"), ex.stream().map(Example::prompt).toList());
        assertEquals(List.of(new DataIssue(second.toString(), 2, NO_MARKER)), skipped);

        DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(
                shards.resolve("part-*"))));
        assertEquals(second + ":2: " + NO_MARKER + " (" + SKIP_HINT + ")", e.getMessage());

        // The same as Parquet, two rows a shard: record 3, the first bad one, is the second shard's row 2.
        Path data = dir.resolve("data");
        writeParquetShards(data, "train", gsm8k(6), 3);
        e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(data)));
        assertEquals(data.resolve("train-00001-of-00003.parquet") + ":2: " + NO_MARKER + " (row 2, counting from 1; "
                + SKIP_HINT + ")", e.getMessage());
    }

    @Test
    void shardsOpenOneAfterAnotherAndFileProblemsOfAnyShardFailBeforeARecordIsRead() {
        Path data = dir.resolve("data");
        writeParquetShards(data, "train", gsm8k(3), 3);
        // A third shard without the 'answer' column: its magic bytes are right, its columns are seen when it opens.
        var questions = ParquetFixtures.schema("message q { optional binary question (STRING); }");
        Path third = ParquetFixtures.write(data.resolve("train-00002-of-00003.parquet"), questions,
                CompressionCodecName.SNAPPY, 100, ParquetFixtures.rows(questions,
                        List.of(ParquetTest.record("question", "q"))));
        try (Stream<Example> s = gsm8k(data).examples(i -> { })) {
            Iterator<Example> it = s.iterator();
            assertEquals("Question 0", it.next().prompt());
            assertEquals("Question 1", it.next().prompt()); // the second shard, read before the third is opened
            DataFormatException e = assertThrows(DataFormatException.class, it::hasNext);
            assertTrue(e.getMessage().startsWith(third + ": has no column 'answer'"), e.getMessage());
        }

        // Not Parquet at all: found when the set is opened (and by validation), before any record is read.
        Fixtures.write(data, "train-00002-of-00003.parquet", good(9));
        String problem = "is not a Parquet file: " + third.toAbsolutePath() + " (a Parquet file starts and ends with"
                + " the bytes PAR1; it looks like JSONL: name it *.jsonl, or set format = jsonl or auto)";
        assertEquals(List.of("gsm8k.path: " + problem), FormatOptionTest.problems("gsm8k",
                Map.of("path", data.toString())));
        DataFormatException e = assertThrows(DataFormatException.class, () -> gsm8k(data).examples(i -> { }));
        assertEquals(third + ": " + problem, e.getMessage());
    }

    @Test
    void aFileWhoseNameHasPatternCharactersIsReadAsItIs() {
        Path odd = Fixtures.write(dir, "q[1]*.jsonl", good(1));
        assertEquals(List.of("Q1"), Fixtures.read(gsm8k(odd)).stream().map(Example::prompt).toList());
        assertEquals(List.of(), FormatOptionTest.problems("gsm8k", Map.of("path", odd.toString())));
    }

    // ---- errors at validation ------------------------------------------------------------------------------

    @Test
    void aPatternThatMatchesNothingIsReportedWithItsDirectory() {
        Fixtures.write(dir, "train.jsonl", good(1));
        Path abs = dir.toAbsolutePath();
        assertEquals(List.of("gsm8k.path: no file matches 'train-*.parquet' in " + abs
                + " (check the dataset's path option)"), pathProblems(dir.resolve("train-*.parquet")));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(gsm8k(dir.resolve("train-*.parquet"))));
        assertEquals(dir.resolve("train-*.parquet") + ": no file matches 'train-*.parquet' in " + abs
                + " (check the dataset's path option)", e.getMessage());

        assertEquals(List.of("gsm8k.path: directory not found: " + abs.resolve("nope") + " (for the pattern"
                + " 'train-*.parquet'; check the dataset's path option)"),
                pathProblems(dir.resolve("nope/train-*.parquet")));
        assertEquals(List.of("gsm8k.path: a pattern (*?[{) may only be in the last part of the path, the part"
                + " that names the files: " + dir.resolve("*/train.jsonl")), pathProblems(dir.resolve("*/train.jsonl")));
        assertEquals(List.of("gsm8k.path: 'train-[0.parquet' is not a valid pattern: Missing ']"),
                pathProblems(dir.resolve("train-[0.parquet")));
        // A plain missing file keeps its message.
        assertEquals(List.of("gsm8k.path: file not found: " + abs.resolve("test.jsonl")
                + " (check the dataset's path option)"), pathProblems(dir.resolve("test.jsonl")));
    }

    @Test
    void shardsOfBothKindsAreRefusedUnderFormatAuto() {
        Path mixed = dir.resolve("mixed");
        for (int i = 0; i < 4; i++) {
            parquet(mixed.resolve("part-" + i + ".parquet"), gsm8k(2));
        }
        Fixtures.write(mixed, "part-4.jsonl", good(1));
        Path abs = mixed.toAbsolutePath();
        String kinds = " both Parquet and JSONL files (Parquet: part-0.parquet, part-1.parquet, part-2.parquet, ..."
                + " (4 in all); JSONL: part-4.jsonl): the shards of one dataset must be of one kind (with format = auto"
                + " a name ending in .parquet is Parquet, any other JSONL); ";
        assertEquals(List.of("gsm8k.path: 'part-*' in " + abs + " matches" + kinds + "narrow the pattern to one kind"),
                pathProblems(mixed.resolve("part-*")));
        assertEquals(List.of("gsm8k.path: " + abs + " holds" + kinds + "name one kind with a pattern, e.g. "
                + abs.resolve("*.parquet")), pathProblems(mixed));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Fixtures.read(gsm8k(mixed)));
        assertTrue(e.getMessage().startsWith(mixed + ": " + abs + " holds both Parquet and JSONL"), e.getMessage());

        // A pattern of one kind is fine; an explicit format reads every file in it, so the others fail as files.
        assertEquals(List.of(), pathProblems(mixed.resolve("part-*.parquet")));
        assertEquals(List.of("gsm8k.path: is not a Parquet file: " + abs.resolve("part-4.jsonl") + " (a Parquet file"
                + " starts and ends with the bytes PAR1; it looks like JSONL: name it *.jsonl, or set format = jsonl"
                + " or auto)"), FormatOptionTest.problems("gsm8k", Map.of("path", mixed.resolve("part-*").toString(),
                "format", "parquet")));
    }

    @Test
    void aDirectoryNeedsShardFilesOfOneSplit() {
        Path root = dir.resolve("gsm8k");
        Fixtures.write(root, "README.md", "# dataset card");
        Fixtures.write(root, "main/test-00000-of-00001.parquet", "not read");
        Path abs = root.toAbsolutePath();
        assertEquals(List.of("gsm8k.path: directory holds no .parquet or .jsonl files: " + abs + " (a directory is"
                + " read as the *.parquet or *.jsonl files directly in it, not in its sub-directories: point path at"
                + " one, e.g. " + abs.resolve("main") + "; check the dataset's path option)"), pathProblems(root));
        Path flat = Fixtures.write(dir.resolve("flat"), "notes.txt", "x").getParent();
        assertEquals(List.of("gsm8k.path: directory holds no .parquet or .jsonl files: " + flat.toAbsolutePath()
                + " (a directory is read as the *.parquet or *.jsonl files directly in it; check the dataset's path"
                + " option)"), pathProblems(flat));

        // The hub's layout puts the splits side by side: a directory of them is refused, a pattern picks one.
        Path main = dir.resolve("hub/main");
        parquet(main.resolve("train-00000-of-00002.parquet"), gsm8k(2));
        parquet(main.resolve("train-00001-of-00002.parquet"), gsm8k(2));
        parquet(main.resolve("test-00000-of-00001.parquet"), gsm8k(2));
        assertEquals(List.of("gsm8k.path: directory holds more than one split (test, train): " + main.toAbsolutePath()
                + " (read one split with a pattern, e.g. " + main.toAbsolutePath().resolve("train*") + ")"),
                pathProblems(main));
        assertEquals(List.of(), pathProblems(main.resolve("train*")));
        Path plain = dir.resolve("plain");
        Fixtures.write(plain, "train.jsonl", good(1));
        Fixtures.write(plain, "test.jsonl", good(2));
        assertEquals(List.of("gsm8k.path: directory holds more than one split (test, train): " + plain.toAbsolutePath()
                + " (read one split with a pattern, e.g. " + plain.toAbsolutePath().resolve("train*") + ")"),
                pathProblems(plain));
        // Named explicitly, several splits are read as one.
        assertEquals(List.of("Q2", "Q1"), Fixtures.read(gsm8k(plain.resolve("*.jsonl"))).stream()
                .map(Example::prompt).toList());
    }

    // ---- MATH: a directory is the tree unless it holds shards and no sub-directory -------------------------

    @Test
    void mathReadsADirectoryAsShardsOnlyWhenItHoldsShardFilesAndNoSubdirectory() {
        Path shards = dir.resolve("shards");
        ParquetFixtures.writeJsonl(shards, "math-0.jsonl", ParquetTest.MATH_RECORDS.subList(0, 2));
        ParquetFixtures.writeJsonl(shards, "math-1.jsonl", ParquetTest.MATH_RECORDS.subList(2, 5));
        Fixtures.write(shards, ".cache/huggingface/download/x.json", "{}"); // hidden: not a sub-directory here
        assertFalse(MathDataset.isTree(shards));
        List<DataIssue> skipped = new ArrayList<>();
        List<Example> ex = Fixtures.read(FormatOptionTest.dataset("math", Map.of("path", shards.toString(),
                "on-bad-record", "skip")), skipped);
        assertEquals(List.of("math-0.jsonl:1", "math-0.jsonl:2", "math-1.jsonl:2", "test/number_theory/7.json"),
                ex.stream().map(Example::id).toList());
        assertEquals(List.of(new DataIssue(shards.resolve("math-1.jsonl").toString(), 1,
                "level \"Level ?\" is not one of Level 1..Level 5")), skipped);
        // format applies to shards, as to a file.
        assertEquals(List.of(), FormatOptionTest.problems("math", Map.of("path", shards.toString(),
                "format", "jsonl")));

        // Subject folders: the tree, even with a shard file beside them.
        Path tree = dir.resolve("MATH/test");
        Fixtures.write(tree, "algebra/1.json",
                "{\"problem\":\"A1\",\"level\":\"Level 4\",\"type\":\"Algebra\",\"solution\":\"\\\\fbox{6}\"}");
        ParquetFixtures.writeJsonl(tree, "stray.jsonl", ParquetTest.MATH_RECORDS.subList(0, 1));
        assertTrue(MathDataset.isTree(tree));
        assertEquals(List.of("test/algebra/1.json"), Fixtures.read(FormatOptionTest.dataset("math",
                Map.of("path", tree.toString()))).stream().map(Example::id).toList());
        assertEquals(List.of("math.format: applies to a file; a directory is read as the tree of JSON files (leave"
                + " format = auto)"), FormatOptionTest.problems("math", Map.of("path", tree.toString(),
                "format", "jsonl")));

        // Shard files beside a sub-directory without JSON files: still the tree, and its error says why.
        Path both = dir.resolve("both");
        ParquetFixtures.writeJsonl(both, "math-0.jsonl", ParquetTest.MATH_RECORDS.subList(0, 2));
        Fixtures.write(both, "old/notes.txt", "x");
        assertTrue(MathDataset.isTree(both));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Fixtures.read(new MathDataset(both, BadRecordPolicy.SKIP)));
        assertEquals(both + ": directory holds no .json files (expected the MATH tree, e.g. test/algebra/1.json; it"
                + " holds .parquet or .jsonl files, but also sub-directories, so it is read as the tree: name the files"
                + " with a pattern such as " + both.toAbsolutePath().resolve("*.parquet") + " or *.jsonl)",
                e.getMessage());
        assertEquals(2, Fixtures.read(new MathDataset(both.resolve("*.jsonl"), BadRecordPolicy.FAIL)).size());

        // A folder of JSON files only (one subject of the tree) stays the tree.
        assertTrue(MathDataset.isTree(tree.resolve("algebra")));
    }

    // ---- statistics, filters -------------------------------------------------------------------------------

    @Test
    void statisticsAndFiltersOverShardsEqualThoseOverTheSingleFile() {
        List<Map<String, Object>> records = gsm8k(40);
        Path single = ParquetFixtures.writeJsonl(dir.resolve("single"), "train.jsonl", records);
        Path jsonl = dir.resolve("jsonl");
        for (int i = 0; i < 3; i++) {
            ParquetFixtures.writeJsonl(jsonl, "train-0000" + i + "-of-00003.jsonl",
                    records.subList(i * 40 / 3, (i + 1) * 40 / 3));
        }
        Path parquet = dir.resolve("parquet");
        writeParquetShards(parquet, "train", records, 3);

        // A quantile filter sees the whole set: its cut depends on every shard.
        DatasetStatistics expected = stats(single);
        assertEquals(34, expected.read()); // 40 records, 6 without '####'
        for (Path shards : List.of(jsonl.resolve("train-*.jsonl"), jsonl, parquet.resolve("train-*.parquet"),
                parquet)) {
            DatasetStatistics actual = stats(shards);
            assertEquals(expected.read(), actual.read(), shards.toString());
            assertEquals(expected.total(), actual.total(), shards.toString());
            assertEquals(expected.perDifficulty(), actual.perDifficulty(), shards.toString());
            assertEquals(expected.numeric(), actual.numeric(), shards.toString());
            assertEquals(expected.perSubject(), actual.perSubject(), shards.toString());
            assertEquals(expected.skippedByReason(), actual.skippedByReason(), shards.toString());
            assertEquals(expected.filterSteps(), actual.filterSteps(), shards.toString());
            assertEquals(unfilteredTiers(single), unfilteredTiers(shards), shards.toString());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static final String NO_MARKER = "field 'answer' has no '#### <number>' line";

    /**
     * {@code n} GSM8K records; record {@code i} has {@code i % 4 + 1} solution steps (its difficulty) and the answer
     * {@code i}, except that every seventh from the fourth on ({@code i % 7 == 3}) has no {@code ####} line.
     */
    static List<Map<String, Object>> gsm8k(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            StringBuilder answer = new StringBuilder();
            for (int s = 1; s <= i % 4 + 1; s++) {
                answer.append("step ").append(s).append(": ").append(i).append(" + 0 = ").append(i).append('\n');
            }
            answer.append(i % 7 == 3 ? "so that is it" : "#### " + i);
            return ParquetTest.record("question", "Question " + i, "answer", answer.toString());
        }).toList();
    }

    private static String good(int i) {
        return "{\"question\":\"Q" + i + "\",\"answer\":\"#### " + i + "\"}";
    }

    private static Path parquet(Path file, List<Map<String, Object>> records) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ParquetFixtures.write(file, ParquetTest.GSM8K, CompressionCodecName.SNAPPY, 100,
                ParquetFixtures.rows(ParquetTest.GSM8K, records));
    }

    /** {@code records} in {@code shards} Parquet files named as the hub names them, the remainder in the last. */
    private static void writeParquetShards(Path dir, String split, List<Map<String, Object>> records, int shards) {
        int per = records.size() / shards;
        for (int i = 0; i < shards; i++) {
            int to = i == shards - 1 ? records.size() : (i + 1) * per;
            parquet(dir.resolve(String.format("%s-%05d-of-%05d.parquet", split, i, shards)),
                    records.subList(i * per, to));
        }
    }

    private static Dataset gsm8k(Path path) {
        return gsm8k(path, BadRecordPolicy.FAIL);
    }

    private static Dataset gsm8k(Path path, BadRecordPolicy policy) {
        return new RecordFileDataset("gsm8k", path, policy, new Gsm8kRecords());
    }

    private static List<String> pathProblems(Path path) {
        return FormatOptionTest.problems("gsm8k", Map.of("path", path.toString()));
    }

    /** What an example holds apart from where it was read (id, origin). */
    private static List<String> contents(List<Example> examples) {
        return examples.stream().map(e -> String.join("|", e.prompt(), e.goldAnswer(), e.referenceSolution(),
                String.valueOf(e.difficulty()), String.valueOf(e.subject()))).toList();
    }

    /** As {@code prefopt data stats --dataset gsm8k --path P --filter difficulty:max-quantile=0.5} computes them. */
    private static DatasetStatistics stats(Path path) {
        Dataset d = FormatOptionTest.dataset("gsm8k", Map.of("path", path.toString(), "on-bad-record", "skip"));
        return DatasetStatistics.compute(d, List.of(new DifficultyFilter(0, 0, 0.0, 0.5, false)));
    }

    private static Map<Integer, Long> unfilteredTiers(Path path) {
        Dataset d = FormatOptionTest.dataset("gsm8k", Map.of("path", path.toString(), "on-bad-record", "skip"));
        return DatasetStatistics.compute(d, List.of()).perDifficulty();
    }
}
