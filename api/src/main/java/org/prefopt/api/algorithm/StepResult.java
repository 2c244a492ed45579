package org.prefopt.api.algorithm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an algorithm reports after one step.
 *
 * @param metrics   algorithm metrics under TRL's names where they exist (e.g. {@code kl}, {@code clip_ratio/low_mean},
 *                  {@code grad_norm}, {@code learning_rate}, {@code rewards/margins}); the loop adds its own
 *                  (rewards, lengths, timings, the non-finite flag)
 * @param numTokens tokens processed by the update (prompt + completion), for throughput
 * @param update    what happened to the parameters; the loop acts on {@link Update#SKIPPED_NON_FINITE}
 */
public record StepResult(Map<String, Double> metrics, long numTokens, Update update) {

    /** What a step did to the parameters. */
    public enum Update {
        /** At least one optimizer update was applied. */
        APPLIED,
        /** Nothing to train on (every group dropped, no pair, no solution): no update, nothing wrong. */
        NOTHING_TO_TRAIN,
        /** A loss or gradient was not finite; the update was discarded and the weights are the last good ones. */
        SKIPPED_NON_FINITE
    }

    public StepResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        Objects.requireNonNull(update, "update");
    }

    /** A step that found nothing to train on. */
    public static StepResult nothingToTrain(Map<String, Double> metrics) {
        return new StepResult(metrics, 0, Update.NOTHING_TO_TRAIN);
    }

    public boolean nonFinite() {
        return update == Update.SKIPPED_NON_FINITE;
    }
}
