package org.prefopt.algorithms.grpo.loss;

/**
 * The PPO clipped surrogate per token, as a loss (negated objective):
 * {@code l = -min(r·A, clip(r, 1-εlow, 1+εhigh)·A)} with {@code r = exp(lp - old)}.
 *
 * <p>Its derivative with respect to {@code lp} is {@code -A·r} where the unclipped branch is the minimum, and 0
 * where the clipped branch is strictly smaller (r beyond the bound on the side the advantage pushes towards).
 * Inside the clip range both branches are equal and have the same derivative, so ties need no rule.
 */
public final class ClippedObjective {

    private ClippedObjective() {
    }

    public static double ratio(double lp, double old) {
        return StrictMath.exp(lp - old);
    }

    public static double loss(double lp, double old, double advantage, double epsilonLow, double epsilonHigh) {
        double r = ratio(lp, old);
        double clipped = Math.min(Math.max(r, 1.0 - epsilonLow), 1.0 + epsilonHigh);
        return -Math.min(r * advantage, clipped * advantage);
    }

    public static double gradient(double lp, double old, double advantage, double epsilonLow, double epsilonHigh) {
        double r = ratio(lp, old);
        if (advantage > 0 && r > 1.0 + epsilonHigh) {
            return 0.0;
        }
        if (advantage < 0 && r < 1.0 - epsilonLow) {
            return 0.0;
        }
        return -advantage * r;
    }

    /** TRL's clip_ratio/low: ratio below the lower bound while the advantage is negative. */
    public static boolean lowClipped(double ratio, double advantage, double epsilonLow) {
        return ratio < 1.0 - epsilonLow && advantage < 0;
    }

    /** TRL's clip_ratio/high: ratio above the upper bound while the advantage is positive. */
    public static boolean highClipped(double ratio, double advantage, double epsilonHigh) {
        return ratio > 1.0 + epsilonHigh && advantage > 0;
    }
}
