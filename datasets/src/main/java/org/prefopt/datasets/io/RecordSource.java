package org.prefopt.datasets.io;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;

/**
 * The examples of one record file, each record parsed by a {@link RecordParser} and bad ones handled by the
 * dataset's {@link BadRecordPolicy}. Reading streams: one record at a time (a Parquet row group at a time).
 */
public interface RecordSource {

    /** Opens the file now (a missing or unreadable file fails here) and streams its examples lazily. */
    Stream<Example> stream(Consumer<DataIssue> skipped);
}
