package org.prefopt.api.model;

/**
 * One generated sequence.
 *
 * @param tokens     the completion's token ids (not the prompt's)
 * @param text       decoded completion text, special tokens skipped
 * @param logprobs   per token, the log-softmax at temperature 1 of the chosen token under the generating weights
 * @param stopReason why generation of this sequence ended
 */
public record Completion(int[] tokens, String text, float[] logprobs, StopReason stopReason) {

    public int length() {
        return tokens.length;
    }

    public boolean truncated() {
        return stopReason == StopReason.LENGTH;
    }
}
