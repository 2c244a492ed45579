package org.prefopt.api.model;

/** A prompt and a completion to score; log-probs are taken over the completion tokens only. */
public record TokenSequence(int[] promptTokens, int[] completionTokens) {
}
