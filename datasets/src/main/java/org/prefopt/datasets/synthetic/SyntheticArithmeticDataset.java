package org.prefopt.datasets.synthetic;

import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;

/** {@code count} records of an {@link ArithmeticGenerator}, generated lazily as the stream is read. */
public final class SyntheticArithmeticDataset implements Dataset {

    private final ArithmeticGenerator generator;
    private final long count;
    private final String description;

    public SyntheticArithmeticDataset(ArithmeticGenerator generator, long count, String description) {
        this.generator = generator;
        this.count = count;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Stream<Example> examples(Consumer<DataIssue> skipped) {
        return LongStream.range(0, count).mapToObj(generator::example);
    }
}
