package org.prefopt.algorithms.grpo.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * Advantages from each group's total rewards.
 *
 * <p>{@code group} (GRPO, as TRL computes it): {@code A_ij = (R_ij - mean_j R_i·) / (std + 1e-4)} where the mean is
 * always the group's, and std is the group's, the whole batch's, or 1 (no scaling). Standard deviations are
 * Bessel-corrected (torch's {@code std()} default), the constant 1e-4 is TRL's.
 *
 * <p>{@code rloo}: {@code A_ij = R_ij - (Σ_k R_ik - R_ij) / (G - 1) = G/(G-1) (R_ij - mean_j R_i·)}, unscaled (TRL's
 * RLOO trainer: {@code baseline = (sum - r) / (G - 1)}; verl's {@code compute_rloo_outcome_advantage}).
 *
 * <p>{@code reinforce-plus-plus}: REINFORCE++-baseline as verl's {@code compute_reinforce_plus_plus_baseline_outcome
 * _advantage}: {@code a_ij = R_ij - mean_j R_i·}, every loss token of the sequence gets {@code a_ij}, and the token
 * values are whitened over the whole step ({@code masked_whiten}): {@code A = (a - μ) / sqrt(σ² + 1e-8)} with μ the
 * token-weighted mean and σ² the token-weighted, Bessel-corrected variance (over all loss tokens). A sequence with no
 * loss tokens (empty, or masked as truncated) does not enter μ and σ².
 */
public final class Advantages {

    /** Added to the standard deviation so constant groups give 0 rather than 0/0. */
    public static final double STD_EPSILON = 1e-4;

    /** verl's masked_whiten adds this to the variance. */
    public static final double WHITEN_EPSILON = 1e-8;

    private Advantages() {
    }

    /** GRPO's group-relative advantages per group and completion; {@code rewards} holds each group's totals. */
    public static List<double[]> compute(List<double[]> rewards, ScaleRewards scale) {
        return compute(rewards, null, AdvantageEstimator.GROUP, scale);
    }

    /**
     * Advantages per group and completion.
     *
     * @param rewards     each group's total rewards
     * @param tokenCounts each completion's loss tokens (only read by reinforce-plus-plus; 0 for a completion that is
     *                    left out of the loss)
     * @param scale       only read by {@code group}
     */
    public static List<double[]> compute(List<double[]> rewards, List<int[]> tokenCounts, AdvantageEstimator estimator,
                                         ScaleRewards scale) {
        return switch (estimator) {
            case GROUP -> group(rewards, scale);
            case RLOO -> rloo(rewards);
            case REINFORCE_PLUS_PLUS -> reinforcePlusPlus(rewards, tokenCounts);
        };
    }

    private static List<double[]> group(List<double[]> rewards, ScaleRewards scale) {
        double batchStd = scale == ScaleRewards.BATCH ? std(concat(rewards)) : Double.NaN;
        List<double[]> out = new ArrayList<>(rewards.size());
        for (double[] group : rewards) {
            double mean = mean(group);
            double divisor = switch (scale) {
                case GROUP -> std(group) + STD_EPSILON;
                case BATCH -> batchStd + STD_EPSILON;
                case NONE -> 1.0;
            };
            double[] a = new double[group.length];
            for (int j = 0; j < group.length; j++) {
                a[j] = (group[j] - mean) / divisor;
            }
            out.add(a);
        }
        return out;
    }

    private static List<double[]> rloo(List<double[]> rewards) {
        List<double[]> out = new ArrayList<>(rewards.size());
        for (double[] group : rewards) {
            if (group.length < 2) {
                throw new IllegalArgumentException("rloo needs at least two completions per group");
            }
            double sum = 0;
            for (double r : group) {
                sum += r;
            }
            double[] a = new double[group.length];
            for (int j = 0; j < group.length; j++) {
                a[j] = group[j] - (sum - group[j]) / (group.length - 1);
            }
            out.add(a);
        }
        return out;
    }

    private static List<double[]> reinforcePlusPlus(List<double[]> rewards, List<int[]> tokenCounts) {
        if (tokenCounts == null || tokenCounts.size() != rewards.size()) {
            throw new IllegalArgumentException("reinforce-plus-plus needs the token count of every completion");
        }
        List<double[]> centred = group(rewards, ScaleRewards.NONE);
        double tokens = 0;
        double sum = 0;
        for (int i = 0; i < centred.size(); i++) {
            for (int j = 0; j < centred.get(i).length; j++) {
                tokens += tokenCounts.get(i)[j];
                sum += tokenCounts.get(i)[j] * centred.get(i)[j];
            }
        }
        if (tokens == 0) {
            return centred; // nothing to train on: the values are never used
        }
        double mu = sum / tokens;
        double ss = 0;
        for (int i = 0; i < centred.size(); i++) {
            for (int j = 0; j < centred.get(i).length; j++) {
                double d = centred.get(i)[j] - mu;
                ss += tokenCounts.get(i)[j] * d * d;
            }
        }
        // verl's masked_var(unbiased=True): Bessel's correction over the tokens; a single token has variance 0
        double variance = tokens > 1 ? ss / (tokens - 1) : 0.0;
        double scale = 1.0 / Math.sqrt(variance + WHITEN_EPSILON);
        List<double[]> out = new ArrayList<>(centred.size());
        for (double[] c : centred) {
            double[] a = new double[c.length];
            for (int j = 0; j < c.length; j++) {
                a[j] = (c[j] - mu) * scale;
            }
            out.add(a);
        }
        return out;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Bessel-corrected standard deviation; 0 for fewer than two values. */
    static double std(double[] x) {
        if (x.length < 2) {
            return 0.0;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    private static double[] concat(List<double[]> groups) {
        int n = groups.stream().mapToInt(g -> g.length).sum();
        double[] all = new double[n];
        int k = 0;
        for (double[] g : groups) {
            System.arraycopy(g, 0, all, k, g.length);
            k += g.length;
        }
        return all;
    }
}
