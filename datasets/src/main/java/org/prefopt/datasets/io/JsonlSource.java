package org.prefopt.datasets.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;

/**
 * Streams the records of a JSONL file (one JSON object per line) through a {@link RecordParser}. Holds one line at
 * a time. Blank lines are not records and are passed over.
 */
public final class JsonlSource implements RecordSource {

    /** Shared: ObjectMapper is thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path path;
    private final BadRecordPolicy policy;
    private final RecordParser parser;

    public JsonlSource(Path path, BadRecordPolicy policy, RecordParser parser) {
        this.path = path;
        this.policy = policy;
        this.parser = parser;
    }

    /** Checks that the file can be opened; the same check {@link #stream} makes, for early option validation. */
    public static String problemWith(Path path) {
        String problem = DataFiles.problemWith(path, "a JSONL file");
        if (problem == null && DataFiles.startsLikeParquet(path)) {
            // Read as text it would give one baffling "invalid JSON" per line.
            return "is a Parquet file, not JSONL: " + path.toAbsolutePath()
                    + " (name it *.parquet, or set format = parquet or auto)";
        }
        return problem;
    }

    /** Opens the file now (a missing file fails here) and streams its examples lazily. */
    @Override
    public Stream<Example> stream(Consumer<DataIssue> skipped) {
        String problem = problemWith(path);
        if (problem != null) {
            throw new DataFormatException(new DataIssue(path.toString(), 0, problem));
        }
        Utf8LineReader reader;
        try {
            reader = new Utf8LineReader(new BufferedInputStream(Files.newInputStream(path), 1 << 16));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(new DataIssue(path.toString(), 0, "file not found"), e);
        } catch (IOException e) {
            throw new DataFormatException(new DataIssue(path.toString(), 0, "cannot open: " + e.getMessage()), e);
        }
        Iterator<Example> it = new RecordIterator(reader,
                new BadRecords(path.toString(), policy, skipped, RecordFormat.JSONL));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                        Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private final class RecordIterator extends SkippingIterator<Example> {
        private final Utf8LineReader reader;
        private final BadRecords bad;
        private final String file = path.toString();
        private final String fileName = path.getFileName().toString();
        private long records;

        RecordIterator(Utf8LineReader reader, BadRecords bad) {
            this.reader = reader;
            this.bad = bad;
        }

        /** Reads one record: its example, or null when there is none (skipped, blank, or the end). */
        @Override
        protected Example readOne() {
            Utf8LineReader.Line line;
            try {
                line = reader.next();
            } catch (IOException e) {
                throw new DataFormatException(new DataIssue(file, 0, "read error: " + e.getMessage()), e);
            }
            if (line == null) {
                end();
                if (records == 0) {
                    throw new DataFormatException(new DataIssue(file, 0,
                            "file is empty: it holds no JSON records (expected one JSON object per line)"));
                }
                return null;
            }
            if (line.decodeError() != null) {
                records++;
                bad.report(line.number(), line.decodeError(), null);
                return null;
            }
            if (line.text().isBlank()) {
                return null;
            }
            records++;
            JsonNode node;
            try {
                node = MAPPER.readTree(line.text());
            } catch (JsonProcessingException e) {
                String where = e instanceof JsonParseException && e.getLocation() != null
                        ? " at column " + e.getLocation().getColumnNr() : "";
                bad.report(line.number(), "invalid JSON" + where + ": " + e.getOriginalMessage(), e);
                return null;
            }
            if (node == null || !node.isObject()) {
                bad.report(line.number(), "expected a JSON object, got " + (node == null ? "nothing"
                        : Fields.kind(node)), null);
                return null;
            }
            try {
                return parser.parse(node, fileName, file + ":" + line.number(), line.number());
            } catch (BadRecordException e) {
                bad.report(line.number(), e.getMessage(), null);
                return null;
            }
        }
    }
}
