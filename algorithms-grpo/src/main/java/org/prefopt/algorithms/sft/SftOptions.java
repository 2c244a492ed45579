package org.prefopt.algorithms.sft;

import com.typesafe.config.Config;
import org.prefopt.api.config.OptionProblems;

/** The options of the {@code sft} algorithm. */
public record SftOptions(int promptsPerStep, int microBatchSize) {

    public static SftOptions from(Config c) {
        return new SftOptions(c.getInt("prompts-per-step"), c.getInt("micro-batch-size"));
    }

    public static void validate(Config c, OptionProblems p) {
        p.requireRange(c, "prompts-per-step", 1, 1_000_000);
        p.requireRange(c, "micro-batch-size", 1, 1_000_000);
    }
}
