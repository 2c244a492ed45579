package org.prefopt.algorithms.grpo.loss;

/**
 * The PPO clipped surrogate per token, as a loss (negated objective):
 * {@code l = -min(r·A, clip(r, 1-εlow, 1+εhigh)·A)} with {@code r = exp(lp - old)}.
 *
 * <p>Its derivative with respect to {@code lp} is {@code -A·r} where the unclipped branch is the minimum, and 0
 * where the clipped branch is strictly smaller (r beyond the bound on the side the advantage pushes towards).
 * Inside the clip range both branches are equal and have the same derivative, so ties need no rule.
 *
 * <p>Two-sided clipping ({@code delta}, INTELLECT-2; TRL's {@code delta}): the unclipped branch uses
 * {@code min(r, δ)}, i.e. {@code l = -min(min(r, δ)·A, clip(r)·A)}. With {@code δ > 1 + εhigh} this only changes
 * negative advantages: for {@code A < 0} and {@code r > δ} the loss is {@code -δ·A} and its gradient 0, so one
 * token whose probability rose a lot cannot make the loss of a bad completion unbounded. {@code δ = 0} means off.
 *
 * <p>The ratio-based methods take {@code log r}'s derivative: {@code d l / d log r}, which is {@code d l / d lp}
 * for a token ratio and, times {@code 1/T}, each token's share of a sequence ratio's (GSPO).
 */
public final class ClippedObjective {

    private ClippedObjective() {
    }

    public static double ratio(double lp, double old) {
        return StrictMath.exp(lp - old);
    }

    public static double loss(double lp, double old, double advantage, double epsilonLow, double epsilonHigh) {
        return lossAtRatio(ratio(lp, old), advantage, epsilonLow, epsilonHigh, 0);
    }

    public static double gradient(double lp, double old, double advantage, double epsilonLow, double epsilonHigh) {
        return gradientAtRatio(ratio(lp, old), advantage, epsilonLow, epsilonHigh, 0);
    }

    /** The loss at ratio {@code r}; {@code delta} caps the unclipped branch (0 = no cap). */
    public static double lossAtRatio(double r, double advantage, double epsilonLow, double epsilonHigh,
                                     double delta) {
        double clipped = Math.min(Math.max(r, 1.0 - epsilonLow), 1.0 + epsilonHigh);
        double unclipped = delta > 0 ? Math.min(r, delta) : r;
        return -Math.min(unclipped * advantage, clipped * advantage);
    }

    /** {@code d loss / d log r} at ratio {@code r}. */
    public static double gradientAtRatio(double r, double advantage, double epsilonLow, double epsilonHigh,
                                         double delta) {
        if (advantage > 0 && r > 1.0 + epsilonHigh) {
            return 0.0;
        }
        if (advantage < 0 && r < 1.0 - epsilonLow) {
            return 0.0;
        }
        if (delta > 0 && r > delta) {
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
