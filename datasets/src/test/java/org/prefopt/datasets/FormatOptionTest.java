package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.testing.PluginDefaults;
import org.prefopt.datasets.plugin.DatasetsPlugin;

/** The file datasets' {@code format} option (auto by file name, jsonl, parquet), through the plugin's factories. */
class FormatOptionTest {

    @TempDir
    Path dir;

    @Test
    void everyFileDatasetReadsParquetByItsName() throws Exception {
        Path gsm8k = ParquetFixtures.write(dir.resolve("train-00000-of-00001.parquet"), ParquetTest.GSM8K,
                CompressionCodecName.SNAPPY, 100, ParquetFixtures.rows(ParquetTest.GSM8K, ParquetTest.GSM8K_RECORDS));
        Path math = ParquetFixtures.write(dir.resolve("math.parquet"), ParquetTest.MATH, CompressionCodecName.SNAPPY,
                100, ParquetFixtures.rows(ParquetTest.MATH, ParquetTest.MATH_RECORDS));
        assertEquals(4, read("gsm8k", Map.of("path", gsm8k.toString(), "on-bad-record", "skip")).size());
        assertEquals(4, read("math", Map.of("path", math.toString(), "on-bad-record", "skip")).size());
        // Generic field mapping: no level check, so the "Level ?" row is an example here.
        assertEquals(5, read("jsonl", Map.of("path", math.toString(), "on-bad-record", "skip",
                "prompt-field", "problem", "answer-field", "", "solution-field", "solution")).size());

        var pairs = ParquetFixtures.schema("message p { optional binary prompt (STRING);"
                + " optional binary chosen (STRING); optional binary rejected (STRING); optional int64 difficulty; }");
        Path pref = ParquetFixtures.write(dir.resolve("pairs.parquet"), pairs, CompressionCodecName.SNAPPY, 100,
                ParquetFixtures.rows(pairs, List.of(ParquetTest.record("prompt", "p", "chosen", "good",
                        "rejected", "bad", "difficulty", 2L))));
        Example pair = read("preference-jsonl", Map.of("path", pref.toString())).get(0);
        assertEquals(Map.of("chosen", "good", "rejected", "bad"), pair.attributes());
        assertEquals(2, pair.difficulty());
        assertEquals("pairs.parquet:1", pair.id());
    }

    @Test
    void anExplicitFormatWinsOverTheName() throws Exception {
        Path odd = ParquetFixtures.write(dir.resolve("gsm8k.data"), ParquetTest.GSM8K, CompressionCodecName.SNAPPY,
                100, ParquetFixtures.rows(ParquetTest.GSM8K, ParquetTest.GSM8K_RECORDS));
        assertEquals(4, read("gsm8k", Map.of("path", odd.toString(), "format", "parquet",
                "on-bad-record", "skip")).size());
        assertEquals(List.of("gsm8k.path: is a Parquet file, not JSONL: " + odd.toAbsolutePath()
                + " (name it *.parquet, or set format = parquet or auto)"), problems("gsm8k",
                Map.of("path", odd.toString())));
    }

    @Test
    void validationChecksTheFormatAndTheFileAhead() throws Exception {
        Path text = Fixtures.write(dir, "x.parquet", "{\"question\":\"q\",\"answer\":\"#### 1\"}");
        assertEquals(List.of("gsm8k.path: is not a Parquet file: " + text.toAbsolutePath() + " (a Parquet file"
                + " starts and ends with the bytes PAR1; it looks like JSONL: name it *.jsonl, or set format = jsonl"
                + " or auto)"), problems("gsm8k", Map.of("path", text.toString())));
        assertEquals(List.of(), problems("gsm8k", Map.of("path", text.toString(), "format", "jsonl")));
        assertEquals(List.of("jsonl.format: must be one of [auto, jsonl, parquet] (got 'csv')"),
                problems("jsonl", Map.of("path", text.toString(), "format", "csv")));
        Path tree = Files.createDirectories(dir.resolve("MATH/test"));
        assertEquals(List.of("math.format: applies to a file; a directory is read as the tree of JSON files"
                + " (leave format = auto)"), problems("math", Map.of("path", tree.toString(), "format", "parquet")));
        assertEquals(List.of(), problems("math", Map.of("path", tree.toString())));
    }

    @Test
    void syntheticSplitOptionsAreChecked() {
        assertEquals(List.of("synthetic-arithmetic.split: must be one of [all, train, held-out] (got 'test')"),
                problems("synthetic-arithmetic", Map.of("split", "test")));
        assertEquals(List.of(), problems("synthetic-arithmetic", Map.of("split", "held-out", "distinct", "true",
                "word-problems-from-level", "6")));
        assertEquals(1, problems("synthetic-arithmetic", Map.of("held-out-share", "1.0")).size());
        assertEquals(1, problems("synthetic-arithmetic", Map.of("word-problems-from-level", "7")).size());
        List<Example> heldOut = read("synthetic-arithmetic", Map.of("split", "held-out", "count", "50", "distinct",
                "true", "max-level", "2"));
        assertEquals(50, heldOut.size());
        heldOut.forEach(e -> assertTrue(org.prefopt.datasets.split.ProblemSpaceSplit.isHeldOut(e.prompt(), 0.25)));
    }

    private static ComponentFactory<?> factory(String name) {
        return new DatasetsPlugin().factories().stream()
                .filter(f -> f.slot() == Slot.DATASET && f.name().equals(name)).findFirst().orElseThrow();
    }

    /** The user's options over the plugin's defaults, as the launcher merges them. */
    private static Config options(String name, Map<String, String> user) {
        return ConfigFactory.parseMap(user)
                .withFallback(PluginDefaults.of(DatasetsPlugin.class).getConfig("prefopt.defaults.dataset." + name));
    }

    /** What option validation reports, each as {@code <type>.<key>: <message>}. */
    static List<String> problems(String name, Map<String, String> user) {
        List<String> out = new ArrayList<>();
        factory(name).validate(options(name, user), (config, key, message) -> out.add(name + "." + key + ": "
                + message));
        return out;
    }

    private static List<Example> read(String name, Map<String, String> user) {
        return Fixtures.read(dataset(name, user), new ArrayList<>());
    }

    /** The dataset the plugin builds from these options, which must pass validation. */
    static Dataset dataset(String name, Map<String, String> user) {
        assertEquals(List.of(), problems(name, user));
        return Guice.createInjector(factory(name).module(options(name, user))).getInstance(Dataset.class);
    }
}
