package org.prefopt.algorithms.grpo.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * Group-relative advantages as TRL computes them: {@code A_ij = (R_ij - mean_j R_i·) / (std + 1e-4)} where the
 * mean is always the group's, and std is the group's, the whole batch's, or 1 (no scaling). Standard
 * deviations are Bessel-corrected (torch's {@code std()} default), the constant 1e-4 is TRL's.
 */
public final class Advantages {

    /** Added to the standard deviation so constant groups give 0 rather than 0/0. */
    public static final double STD_EPSILON = 1e-4;

    private Advantages() {
    }

    /** Advantages per group and completion; {@code rewards} holds each group's total rewards. */
    public static List<double[]> compute(List<double[]> rewards, ScaleRewards scale) {
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
