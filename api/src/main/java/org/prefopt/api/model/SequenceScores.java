package org.prefopt.api.model;

/**
 * Per completion token of a {@link TokenSequence}.
 *
 * @param logprobs  log-softmax (temperature 1) of each completion token
 * @param entropies entropy of the next-token distribution at each completion position; null when not requested
 */
public record SequenceScores(float[] logprobs, float[] entropies) {

    public double sumLogprob() {
        double s = 0;
        for (float v : logprobs) {
            s += v;
        }
        return s;
    }
}
