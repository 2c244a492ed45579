package org.prefopt.api.data;

import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A source of examples. Reading is streaming: a dataset must not hold the raw text of a whole file in memory.
 */
public interface Dataset {

    /** Human-readable description for logs and reports, e.g. {@code gsm8k(/data/test.jsonl)}. */
    String describe();

    /**
     * Opens the examples in file order. The caller closes the stream.
     *
     * @param skipped receives every record skipped under the dataset's {@code skip} policy; under the default
     *                {@code fail} policy a bad record throws {@link DataFormatException} instead
     */
    Stream<Example> examples(Consumer<DataIssue> skipped);
}
