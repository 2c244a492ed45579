package org.prefopt.api.model;

/**
 * A prompt and a completion to score; log-probs are taken over the completion tokens only, under the softmax of
 * {@code logits / temperature}: the distribution the completion was sampled from (TRL's GRPO does the same), so a
 * policy-gradient loss is on-policy when rollouts are sampled at a temperature other than 1.
 */
public record TokenSequence(int[] promptTokens, int[] completionTokens, double temperature) {

    public TokenSequence {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0 (got " + temperature + ")");
        }
    }

    /** At temperature 1: the model's own distribution. */
    public TokenSequence(int[] promptTokens, int[] completionTokens) {
        this(promptTokens, completionTokens, 1.0);
    }
}
