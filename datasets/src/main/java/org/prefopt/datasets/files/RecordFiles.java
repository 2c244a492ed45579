package org.prefopt.datasets.files;

import java.nio.file.Path;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.JsonlSource;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.io.RecordParser;
import org.prefopt.datasets.io.RecordSource;
import org.prefopt.datasets.io.parquet.ParquetSource;

/** Opens one record file in its format: the one place that knows every {@link RecordFormat}'s reader. */
public final class RecordFiles {

    private RecordFiles() {
    }

    public static RecordSource open(Path path, RecordFormat format, BadRecordPolicy policy, RecordParser parser) {
        return switch (format) {
            case JSONL -> new JsonlSource(path, policy, parser);
            case PARQUET -> new ParquetSource(path, policy, parser);
        };
    }

    /** What keeps the file from being read in that format, or null: the early check of option validation. */
    public static String problemWith(Path path, RecordFormat format) {
        return switch (format) {
            case JSONL -> JsonlSource.problemWith(path);
            case PARQUET -> ParquetSource.problemWith(path);
        };
    }
}
