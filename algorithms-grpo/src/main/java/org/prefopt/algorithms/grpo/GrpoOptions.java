package org.prefopt.algorithms.grpo;

import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.algorithms.grpo.advantage.ScaleRewards;
import org.prefopt.algorithms.grpo.loss.KlEstimator;
import org.prefopt.algorithms.grpo.loss.LossAggregation;
import org.prefopt.api.config.OptionProblems;

/** The options of the {@code grpo} algorithm (see reference.conf and docs/algorithms.md). */
public record GrpoOptions(int groupSize, int promptsPerStep, ScaleRewards scaleRewards, double epsilonLow,
                          double epsilonHigh, int numIterations, double beta, KlEstimator klEstimator,
                          LossAggregation lossAggregation, int maxCompletionLength,
                          boolean maskTruncatedCompletions, boolean computeEntropy, double entropyCoefficient,
                          ZeroStdGroups zeroStdGroups, int maxResampleRounds, int microBatchSize) {

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
                c.getInt("micro-batch-size"));
    }

    /**
     * Range and combination checks. {@code max-completion-length} is accepted (and ignored) with aggregations
     * other than dr-grpo, so that a sweep over {@code loss-aggregation} needs no other edit.
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
        if (c.hasPath("entropy-coefficient") && c.hasPath("compute-entropy")
                && c.getDouble("entropy-coefficient") > 0 && !c.getBoolean("compute-entropy")) {
            p.add(c, "entropy-coefficient", "an entropy bonus needs entropies: set compute-entropy = true or"
                    + " entropy-coefficient = 0");
        }
    }
}
