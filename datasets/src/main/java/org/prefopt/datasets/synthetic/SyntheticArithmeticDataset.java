package org.prefopt.datasets.synthetic;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptKey;

/**
 * {@code count} records of an {@link ArithmeticGenerator}, generated lazily as the stream is read. With
 * {@code distinct}, a record whose problem (normalised prompt) already occurred is passed over and the generator's
 * next records fill its place, so an evaluation set counts no problem twice; a level whose (split) problem space runs
 * out then has fewer records than the others, and the stream ends early when the space is exhausted
 * (after {@code count} x {@value #DISTINCT_SEARCH} records).
 */
public final class SyntheticArithmeticDataset implements Dataset {

    private final ArithmeticGenerator generator;
    private final long count;
    private final String description;
    private final boolean distinct;

    static final int DISTINCT_SEARCH = 50;

    public SyntheticArithmeticDataset(ArithmeticGenerator generator, long count, String description) {
        this(generator, count, false, description);
    }

    public SyntheticArithmeticDataset(ArithmeticGenerator generator, long count, boolean distinct,
                                      String description) {
        this.generator = generator;
        this.count = count;
        this.distinct = distinct;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Stream<Example> examples(Consumer<DataIssue> skipped) {
        if (!distinct) {
            return LongStream.range(0, count).mapToObj(generator::example);
        }
        Set<String> seen = new HashSet<>();
        return LongStream.range(0, count * DISTINCT_SEARCH).mapToObj(generator::example)
                .filter(e -> seen.add(PromptKey.of(e.prompt()))).limit(count);
    }
}
