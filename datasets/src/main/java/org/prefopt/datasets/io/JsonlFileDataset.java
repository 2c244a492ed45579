package org.prefopt.datasets.io;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;

/** A dataset read from one JSONL file through a record parser. */
public class JsonlFileDataset implements Dataset {

    private final String name;
    private final Path path;
    private final BadRecordPolicy policy;
    private final RecordParser parser;

    public JsonlFileDataset(String name, Path path, BadRecordPolicy policy, RecordParser parser) {
        this.name = name;
        this.path = path;
        this.policy = policy;
        this.parser = parser;
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
        return new JsonlSource(path, policy, parser).stream(skipped);
    }
}
