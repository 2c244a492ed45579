package org.prefopt.datasets.io;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.parquet.ParquetSource;

/**
 * The examples of one record file, each record parsed by a {@link RecordParser} and bad ones handled by the
 * dataset's {@link BadRecordPolicy}. Reading streams: one record at a time (a Parquet row group at a time).
 */
public interface RecordSource {

    /** Opens the file now (a missing or unreadable file fails here) and streams its examples lazily. */
    Stream<Example> stream(Consumer<DataIssue> skipped);

    static RecordSource open(Path path, RecordFormat format, BadRecordPolicy policy, RecordParser parser) {
        return switch (format) {
            case JSONL -> new JsonlSource(path, policy, parser);
            case PARQUET -> new ParquetSource(path, policy, parser);
        };
    }

    /** What keeps the file from being read in that format, or null: the early check of option validation. */
    static String problemWith(Path path, RecordFormat format) {
        return switch (format) {
            case JSONL -> JsonlSource.problemWith(path);
            case PARQUET -> ParquetSource.problemWith(path);
        };
    }
}
