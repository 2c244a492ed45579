package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;

/**
 * A ~1 GiB JSONL file (the same in four shards, and a Parquet file of a quarter of that text) is read through the
 * dataset in a forked JVM limited to a 64 MiB heap: if any part of the reader held the file's text, the child would
 * die with OutOfMemoryError.
 */
@Tag("slow")
class StreamingTest {

    private static final long TARGET_BYTES = Long.getLong("prefopt.streaming.bytes", 1L << 30);

    @TempDir
    Path dir;

    @Test
    void oneGigabyteWithA64MiBHeap() throws Exception {
        Path file = dir.resolve("big.jsonl");
        long records = writeJsonl(file, 0, TARGET_BYTES);
        assertCountedIn64MiB(file, records, Files.size(file));
    }

    @Test
    void oneGigabyteInFourShardsWithA64MiBHeap() throws Exception {
        // Read through a pattern: one shard open at a time, each streamed; the records are numbered across shards.
        long records = 0;
        long bytes = 0;
        for (int i = 0; i < 4; i++) {
            Path shard = dir.resolve("big-0000" + i + "-of-00004.jsonl");
            records += writeJsonl(shard, records, TARGET_BYTES / 4);
            bytes += Files.size(shard);
        }
        assertCountedIn64MiB(dir.resolve("big-*.jsonl"), records, bytes);
    }

    /** GSM8K records numbered from {@code first}, about {@code target} bytes of them; returns how many. */
    private static long writeJsonl(Path file, long first, long target) throws IOException {
        String filler = "x".repeat(400);
        long record = first;
        long bytes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (bytes < target) {
                String line = "{\"question\":\"Problem " + record + " " + filler + "\",\"answer\":\"a\\nb\\n#### "
                        + record + "\"}\n";
                w.write(line);
                bytes += line.length();
                record++;
            }
        }
        return record - first;
    }

    @Test
    void parquetRowGroupByRowGroupWithA64MiBHeap() throws Exception {
        // Snappy shrinks the filler, so the file is small; what the reader must not hold is the decoded text,
        // 8 MiB or so per row group.
        MessageType schema = ParquetTest.GSM8K;
        SimpleGroupFactory factory = new SimpleGroupFactory(schema);
        String filler = "x".repeat(400);
        long records = TARGET_BYTES / 4 / 440;
        Iterable<Group> rows = () -> LongStream.range(0, records).mapToObj(i -> factory.newGroup()
                .append("question", "Problem " + i + " " + filler).append("answer", "a\nb\n#### " + i)).iterator();
        Path file = ParquetFixtures.write(dir.resolve("big.parquet"), schema, CompressionCodecName.SNAPPY, 20_000,
                rows);
        assertCountedIn64MiB(file, records, records * 440);
    }

    private static void assertCountedIn64MiB(Path file, long records, long bytes) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), CountRecords.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertTrue(p.waitFor(20, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        System.out.println("streamed " + bytes + " bytes of " + file.getFileName() + ": " + out);
        assertEquals(Long.toString(records), out.lines().reduce((a, b) -> b).orElse(""));
    }

    /** The forked child: counts the examples and checks the last gold answer. */
    public static final class CountRecords {
        public static void main(String[] args) throws IOException {
            long start = System.nanoTime();
            long n = 0;
            String lastGold = null;
            try (Stream<Example> s = new RecordFileDataset("gsm8k", Path.of(args[0]), BadRecordPolicy.FAIL,
                    new Gsm8kRecords()).examples(i -> { })) {
                for (Example e : (Iterable<Example>) s::iterator) {
                    n++;
                    lastGold = e.goldAnswer();
                }
            }
            if (!Long.toString(n - 1).equals(lastGold)) {
                throw new IllegalStateException("last gold " + lastGold + " after " + n + " records");
            }
            System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            System.out.println(n);
        }
    }
}
