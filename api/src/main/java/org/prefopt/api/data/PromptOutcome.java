package org.prefopt.api.data;

/**
 * What happened when the policy was trained on one prompt: the total reward of each completion.
 * Samplers use it for pass-rate and curriculum decisions.
 */
public record PromptOutcome(Example example, double[] rewards) {
}
