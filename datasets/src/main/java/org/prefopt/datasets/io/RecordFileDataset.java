package org.prefopt.datasets.io;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;

/** A dataset read from one record file, JSONL or Parquet, through a record parser. */
public class RecordFileDataset implements Dataset {

    private final String name;
    private final Path path;
    private final RecordFormat format;
    private final BadRecordPolicy policy;
    private final RecordParser parser;

    public RecordFileDataset(String name, Path path, RecordFormat format, BadRecordPolicy policy,
                             RecordParser parser) {
        this.name = name;
        this.path = path;
        this.format = format;
        this.policy = policy;
        this.parser = parser;
    }

    /** The format chosen by the file's name ({@code .parquet} or JSONL). */
    public RecordFileDataset(String name, Path path, BadRecordPolicy policy, RecordParser parser) {
        this(name, path, RecordFormat.byName(path), policy, parser);
    }

    public Path path() {
        return path;
    }

    public RecordFormat format() {
        return format;
    }

    @Override
    public String describe() {
        return name + "(" + path + ")";
    }

    @Override
    public Stream<Example> examples(Consumer<DataIssue> skipped) {
        return RecordSource.open(path, format, policy, parser).stream(skipped);
    }
}
