package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.math.MathDataset;

/**
 * Parquet files written by another implementation than parquet-java: DuckDB's C++ writer, with its own encoders
 * and codecs (the fixtures and the SQL that wrote them: src/test/resources/parquet, src/test/duckdb). The same
 * records as JSONL give the same examples.
 */
class IndependentWriterTest {

    @TempDir
    Path dir;

    @Test
    void gsm8kSnappy() {
        List<Map<String, Object>> records = List.of(
                ParquetTest.record("n", 1, "question", "Janet has 3 ducks.", "answer",
                        "She buys 2 more: 3+2=<<3+2=5>>5.\nThen 5*1,000=<<5*1000=5000>>5000.\n#### 5,000"),
                ParquetTest.record("n", 2, "question", "Q2", "answer", "Only one line\n#### -7"),
                ParquetTest.record("n", 3, "question", "Q3", "answer", "no marker here"),
                ParquetTest.record("n", 4, "question", "Q6 ünïcødé ∑", "answer", "#### 6"));
        Path jsonl = ParquetFixtures.writeJsonl(dir, "g.jsonl", records);
        List<DataIssue> fromJsonl = new ArrayList<>();
        List<DataIssue> fromParquet = new ArrayList<>();
        List<Example> expected = Fixtures.read(new RecordFileDataset("gsm8k", jsonl, BadRecordPolicy.SKIP,
                new Gsm8kRecords()), fromJsonl);
        List<Example> actual = Fixtures.read(new RecordFileDataset("gsm8k", fixture("gsm8k-duckdb-snappy.parquet"),
                BadRecordPolicy.SKIP, new Gsm8kRecords()), fromParquet);
        assertEquals(3, actual.size());
        assertEquals(ParquetTest.numbered(expected), ParquetTest.numbered(actual));
        assertEquals(List.of("3: field 'answer' has no '#### <number>' line"),
                ParquetTest.numberedIssues(fromParquet));
        assertEquals(ParquetTest.numberedIssues(fromJsonl), ParquetTest.numberedIssues(fromParquet));
    }

    @Test
    void mathZstd() {
        List<Map<String, Object>> records = List.of(
                ParquetTest.MATH_RECORDS.get(0), ParquetTest.MATH_RECORDS.get(1), ParquetTest.MATH_RECORDS.get(2),
                ParquetTest.MATH_RECORDS.get(4));
        Path jsonl = ParquetFixtures.writeJsonl(dir, "m.jsonl", records);
        List<DataIssue> fromParquet = new ArrayList<>();
        List<Example> expected = Fixtures.read(new MathDataset(jsonl, BadRecordPolicy.SKIP), new ArrayList<>());
        List<Example> actual = Fixtures.read(new MathDataset(fixture("math-duckdb-zstd.parquet"),
                BadRecordPolicy.SKIP), fromParquet);
        assertEquals(ParquetTest.numbered(expected), ParquetTest.numbered(actual));
        assertEquals(List.of("3: level \"Level ?\" is not one of Level 1..Level 5"),
                ParquetTest.numberedIssues(fromParquet));
    }

    @Test
    void valueTypesListsAndStructs() {
        List<JsonNode> rows = ParquetTest.rowsAsJson(fixture("types-duckdb-snappy.parquet"));
        JsonNode full = rows.get(0);
        assertEquals(new BigDecimal("2.50"), full.get("dec").decimalValue());
        ((com.fasterxml.jackson.databind.node.ObjectNode) full).remove("dec");
        assertEquals(ParquetTest.json("{\"s\":\"a\",\"i\":1,\"l\":1099511627776,\"d\":0.5,\"b\":true,"
                + "\"tags\":[\"x\",null,\"y\"],\"meta\":{\"source\":\"hf\",\"year\":null},\"small\":7,"
                + "\"u\":4294967295}"), full);
        assertEquals(ParquetTest.json("{\"s\":\"b\",\"i\":null,\"l\":null,\"d\":null,\"b\":null,\"tags\":null,"
                + "\"meta\":null,\"small\":null,\"u\":null,\"dec\":null}"), rows.get(1));
    }

    private static Path fixture(String name) {
        try {
            return Path.of(IndependentWriterTest.class.getResource("/parquet/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
