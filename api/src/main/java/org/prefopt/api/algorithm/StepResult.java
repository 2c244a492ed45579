package org.prefopt.api.algorithm;

import java.util.Map;

/**
 * What an algorithm reports after one step.
 *
 * @param metrics   algorithm metrics under TRL's names where they exist (e.g. {@code kl}, {@code clip_ratio/low_mean},
 *                  {@code grad_norm}, {@code learning_rate}, {@code rewards/margins})
 * @param numTokens tokens processed by the update (prompt + completion), for throughput
 * @param updated   false when the step made no parameter update (e.g. every group was dropped, or non-finite
 *                  gradients were skipped)
 */
public record StepResult(Map<String, Double> metrics, long numTokens, boolean updated) {

    public StepResult {
        metrics = Map.copyOf(metrics);
    }
}
