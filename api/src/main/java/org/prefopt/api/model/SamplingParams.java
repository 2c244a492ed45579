package org.prefopt.api.model;

import java.util.List;

/**
 * How to generate.
 *
 * @param maxNewTokens  hard cap on completion length
 * @param temperature   softmax temperature (ignored when greedy)
 * @param topP          nucleus mass in (0, 1]; 1 disables
 * @param topK          keep the k most likely tokens; 0 disables
 * @param greedy        argmax decoding
 * @param stopStrings   generation of a sequence stops once its text contains one of these (kept in the text)
 * @param seed          seed of the sampling random stream
 */
public record SamplingParams(int maxNewTokens, double temperature, double topP, int topK, boolean greedy,
                             List<String> stopStrings, long seed) {

    public SamplingParams {
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1 (got " + maxNewTokens + ")");
        }
        if (!greedy && !(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0 unless greedy (got " + temperature + ")");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (got " + topP + ")");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (got " + topK + ")");
        }
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 1.0, 1.0, 0, true, List.of(), 0L);
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, greedy, stopStrings, newSeed);
    }
}
