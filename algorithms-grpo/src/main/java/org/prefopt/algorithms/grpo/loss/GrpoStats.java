package org.prefopt.algorithms.grpo.loss;

import java.util.Map;
import java.util.TreeMap;

/**
 * Token-level statistics gathered while the loss is evaluated, over every micro-batch and iteration of a step.
 * Means are over tokens of the whole step (TRL's masked batch mean). Not thread-safe: one step at a time.
 */
public final class GrpoStats {

    private long tokens;
    private double klSum;
    private long entropyTokens;
    private double entropySum;
    private long lowClipped;
    private long highClipped;
    private long regionClipped;

    void addToken(double ratio, double advantage, double epsilonLow, double epsilonHigh) {
        tokens++;
        boolean low = ClippedObjective.lowClipped(ratio, advantage, epsilonLow);
        boolean high = ClippedObjective.highClipped(ratio, advantage, epsilonHigh);
        if (low) {
            lowClipped++;
        }
        if (high) {
            highClipped++;
        }
        if (low || high) {
            regionClipped++;
        }
    }

    void addKl(double kl) {
        klSum += kl;
    }

    void addEntropy(double entropy) {
        entropyTokens++;
        entropySum += entropy;
    }

    public long tokens() {
        return tokens;
    }

    /**
     * The metrics under TRL's names; {@code kl} only when a reference was used and {@code entropy} only when
     * entropies were computed.
     */
    public Map<String, Double> metrics(boolean withKl) {
        Map<String, Double> m = new TreeMap<>();
        double n = Math.max(1, tokens);
        m.put("clip_ratio/low_mean", lowClipped / n);
        m.put("clip_ratio/high_mean", highClipped / n);
        m.put("clip_ratio/region_mean", regionClipped / n);
        if (withKl) {
            m.put("kl", klSum / n);
        }
        if (entropyTokens > 0) {
            m.put("entropy", entropySum / entropyTokens);
        }
        return m;
    }
}
