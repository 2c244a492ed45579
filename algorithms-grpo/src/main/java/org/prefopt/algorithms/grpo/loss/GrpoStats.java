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
    private long cispoTokens;
    private long cispoClipped;

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

    /** A token of the cispo loss: TRL's cispo_clip_ratio counts weights capped at ε_max with a positive advantage. */
    void addCispoToken(double ratio, double advantage, double epsilonMax) {
        tokens++;
        cispoTokens++;
        if (ratio > epsilonMax && advantage > 0) {
            cispoClipped++;
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
     * The metrics under TRL's names ({@code clip_ratio/*} for the clipped loss, {@code cispo_clip_ratio} for cispo);
     * {@code kl} only when a reference was used and {@code entropy} only when
     * entropies were computed.
     */
    public Map<String, Double> metrics(boolean withKl) {
        Map<String, Double> m = new TreeMap<>();
        double n = Math.max(1, tokens);
        if (cispoTokens > 0) {
            m.put("cispo_clip_ratio", cispoClipped / (double) cispoTokens);
        } else {
            m.put("clip_ratio/low_mean", lowClipped / n);
            m.put("clip_ratio/high_mean", highClipped / n);
            m.put("clip_ratio/region_mean", regionClipped / n);
        }
        if (withKl) {
            m.put("kl", klSum / n);
        }
        if (entropyTokens > 0) {
            m.put("entropy", entropySum / entropyTokens);
        }
        return m;
    }
}
