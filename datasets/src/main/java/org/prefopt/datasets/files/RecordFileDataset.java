package org.prefopt.datasets.files;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.io.RecordParser;

/**
 * A dataset read through a record parser from what its {@code path} names (see {@link ShardSet}): one JSONL or
 * Parquet file, or a set of shards (a directory of them, or a pattern such as {@code data/train-*.parquet}) read one
 * file after another as one dataset.
 */
public class RecordFileDataset implements Dataset {

    private final String name;
    private final Path path;
    private final RecordFormat format;
    private final BadRecordPolicy policy;
    private final RecordParser parser;

    /** @param format the format of every file, or null for {@code auto}: each file's name decides */
    public RecordFileDataset(String name, Path path, RecordFormat format, BadRecordPolicy policy,
                             RecordParser parser) {
        this.name = name;
        this.path = path;
        this.format = format;
        this.policy = policy;
        this.parser = parser;
    }

    /** The format of each file chosen by its name ({@code .parquet} or JSONL). */
    public RecordFileDataset(String name, Path path, BadRecordPolicy policy, RecordParser parser) {
        this(name, path, null, policy, parser);
    }

    public Path path() {
        return path;
    }

    @Override
    public String describe() {
        return name + "(" + path + ")";
    }

    @Override
    public Stream<Example> examples(Consumer<DataIssue> skipped) {
        return new ShardSet(path, format, policy, parser).stream(skipped);
    }
}
