package org.prefopt.algorithms.grpo;

import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.algorithms.grpo.advantage.AdvantageEstimator;
import org.prefopt.algorithms.grpo.advantage.ScaleRewards;
import org.prefopt.algorithms.grpo.loss.ImportanceSamplingLevel;
import org.prefopt.algorithms.grpo.loss.KlEstimator;
import org.prefopt.algorithms.grpo.loss.LossAggregation;
import org.prefopt.algorithms.grpo.loss.PolicyLossType;
import org.prefopt.api.config.OptionProblems;

/** The options of the {@code grpo} algorithm (see reference.conf and docs/algorithms.md). */
public record GrpoOptions(int groupSize, int promptsPerStep, ScaleRewards scaleRewards, double epsilonLow,
                          double epsilonHigh, int numIterations, double beta, KlEstimator klEstimator,
                          LossAggregation lossAggregation, int maxCompletionLength,
                          boolean maskTruncatedCompletions, boolean computeEntropy, double entropyCoefficient,
                          ZeroStdGroups zeroStdGroups, int maxResampleRounds, int microBatchSize,
                          AdvantageEstimator advantage, ImportanceSamplingLevel importanceSamplingLevel,
                          PolicyLossType lossType, double delta, double epsilonMax, boolean engineCorrection,
                          double engineCorrectionCap) {

    public static GrpoOptions from(Config c) {
        return new GrpoOptions(
                c.getInt("group-size"),
                c.getInt("prompts-per-step"),
                ScaleRewards.fromOption(c.getString("scale-rewards")),
                c.getDouble("epsilon-low"),
                c.getDouble("epsilon-high"),
                c.getInt("num-iterations"),
                c.getDouble("beta"),
                KlEstimator.fromOption(c.getString("kl-estimator")),
                LossAggregation.fromOption(c.getString("loss-aggregation")),
                c.getInt("max-completion-length"),
                c.getBoolean("mask-truncated-completions"),
                c.getBoolean("compute-entropy"),
                c.getDouble("entropy-coefficient"),
                ZeroStdGroups.fromOption(c.getString("zero-std-groups")),
                c.getInt("max-resample-rounds"),
                c.getInt("micro-batch-size"),
                AdvantageEstimator.fromOption(c.getString("advantage")),
                ImportanceSamplingLevel.fromOption(c.getString("importance-sampling-level")),
                PolicyLossType.fromOption(c.getString("loss-type")),
                c.getDouble("delta"),
                c.getDouble("epsilon-max"),
                engineCorrection(c.getString("engine-correction")),
                c.getDouble("engine-correction-cap"));
    }

    /** {@code engine-correction}: none, or tis (truncated importance sampling towards the rollout engine). */
    private static boolean engineCorrection(String option) {
        return switch (option) {
            case "none" -> false;
            case "tis" -> true;
            default -> throw new IllegalArgumentException("engine-correction must be none or tis (got '" + option
                    + "')");
        };
    }

    /**
     * Range and combination checks. {@code max-completion-length} is accepted (and ignored) with aggregations
     * other than dr-grpo, so that a sweep over {@code loss-aggregation} needs no other edit; likewise
     * {@code scale-rewards} is only read by {@code advantage = group}, {@code epsilon-low}/{@code epsilon-high} only by
     * {@code loss-type = clip} and {@code epsilon-max} only by {@code cispo}. A setting that cannot mean anything in
     * its combination ({@code delta} with cispo, a delta inside the clip range) is an error.
     */
    public static void validate(Config c, OptionProblems p) {
        p.requireRange(c, "group-size", 2, 4096);
        p.requireRange(c, "prompts-per-step", 1, 1_000_000);
        p.requireOneOf(c, "scale-rewards", List.of("group", "batch", "none"));
        p.requireRange(c, "epsilon-low", 0.0, 0.999999);
        p.requireRange(c, "epsilon-high", 0.0, 1e6);
        p.requireRange(c, "num-iterations", 1, 1000);
        p.requireRange(c, "beta", 0.0, 1e6);
        p.requireOneOf(c, "kl-estimator", List.of("k1", "k2", "k3"));
        p.requireOneOf(c, "loss-aggregation", List.of("grpo", "bnpo", "dr-grpo", "dapo"));
        p.requireRange(c, "max-completion-length", 0, Integer.MAX_VALUE);
        p.requireRange(c, "entropy-coefficient", 0.0, 1e6);
        p.requireOneOf(c, "zero-std-groups", List.of("drop", "keep", "resample"));
        p.requireRange(c, "max-resample-rounds", 1, 1000);
        p.requireRange(c, "micro-batch-size", 1, 1_000_000);
        p.requireOneOf(c, "advantage", List.of("group", "rloo", "reinforce-plus-plus"));
        p.requireOneOf(c, "importance-sampling-level", List.of("token", "sequence"));
        p.requireOneOf(c, "loss-type", List.of("clip", "cispo"));
        p.requireRange(c, "delta", 0.0, 1e6);
        p.requireRange(c, "epsilon-max", 1e-6, 1e6);
        p.requireOneOf(c, "engine-correction", List.of("none", "tis"));
        p.requireRange(c, "engine-correction-cap", 1.0, 1e6);
        boolean cispo = c.hasPath("loss-type") && "cispo".equals(c.getString("loss-type"));
        if (c.hasPath("delta") && c.getDouble("delta") > 0) {
            if (cispo) {
                p.add(c, "delta", "two-sided clipping applies to loss-type = clip; cispo caps its weights at"
                        + " epsilon-max instead: set delta = 0");
            } else if (c.hasPath("epsilon-high") && c.getDouble("delta") <= 1 + c.getDouble("epsilon-high")) {
                p.add(c, "delta", "must be greater than 1 + epsilon-high = " + (1 + c.getDouble("epsilon-high"))
                        + " (got " + c.getDouble("delta") + "): a smaller cap would also clip positive advantages"
                        + " inside the clip range; 0 turns it off");
            }
        }
        if (cispo && c.hasPath("epsilon-max") && c.getDouble("epsilon-max") < 1) {
            p.add(c, "epsilon-max", "caps cispo's importance weight, which is 1 for on-policy tokens; a cap below 1"
                    + " (got " + c.getDouble("epsilon-max") + ") scales every token down: use a value >= 1"
                    + " (ScaleRL: 5.0)");
        }
        if (c.hasPath("entropy-coefficient") && c.hasPath("compute-entropy")
                && c.getDouble("entropy-coefficient") > 0 && !c.getBoolean("compute-entropy")) {
            p.add(c, "entropy-coefficient", "an entropy bonus needs entropies: set compute-entropy = true or"
                    + " entropy-coefficient = 0");
        }
    }
}
