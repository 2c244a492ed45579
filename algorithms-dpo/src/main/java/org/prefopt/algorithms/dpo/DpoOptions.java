package org.prefopt.algorithms.dpo;

import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.algorithms.dpo.loss.DpoLossType;
import org.prefopt.api.config.OptionProblems;

/** The options of the {@code dpo} algorithm (see reference.conf and docs/algorithms.md). */
public record DpoOptions(double beta, DpoLossType lossType, double labelSmoothing, boolean lengthNormalize,
                         boolean online, int promptsPerStep, int completionsPerPrompt, int pairsPerPrompt,
                         double minRewardMargin, boolean resampleWhenAllAgree, int maxResampleRounds,
                         int microBatchSize, int referenceCacheSize, double rpoAlpha, double gamma,
                         double orpoLambda, double desirableWeight, double undesirableWeight) {

    public static DpoOptions from(Config c) {
        return new DpoOptions(
                c.getDouble("beta"),
                DpoLossType.fromOption(c.getString("loss-type")),
                c.getDouble("label-smoothing"),
                c.getBoolean("length-normalize"),
                parsePairs(c.getString("pairs")),
                c.getInt("prompts-per-step"),
                c.getInt("completions-per-prompt"),
                c.getInt("pairs-per-prompt"),
                c.getDouble("min-reward-margin"),
                parseAllAgree(c.getString("all-agree")),
                c.getInt("max-resample-rounds"),
                c.getInt("micro-batch-size"),
                c.getInt("reference-cache-size"),
                c.getDouble("rpo-alpha"),
                c.getDouble("gamma"),
                c.getDouble("lambda"),
                c.getDouble("desirable-weight"),
                c.getDouble("undesirable-weight"));
    }

    private static boolean parsePairs(String v) {
        return switch (v) {
            case "online" -> true;
            case "offline" -> false;
            default -> throw new IllegalArgumentException("pairs must be online or offline (got '" + v + "')");
        };
    }

    private static boolean parseAllAgree(String v) {
        return switch (v) {
            case "resample" -> true;
            case "skip" -> false;
            default -> throw new IllegalArgumentException("all-agree must be skip or resample (got '" + v + "')");
        };
    }

    public static void validate(Config c, OptionProblems p) {
        p.requireRange(c, "beta", 1e-9, 1e6);
        p.requireOneOf(c, "loss-type", DpoLossType.OPTION_NAMES);
        p.requireRange(c, "label-smoothing", 0.0, 0.499999);
        p.requireOneOf(c, "pairs", List.of("online", "offline"));
        p.requireRange(c, "prompts-per-step", 1, 1_000_000);
        p.requireRange(c, "completions-per-prompt", 2, 4096);
        p.requireRange(c, "pairs-per-prompt", 1, 2048);
        p.requireRange(c, "min-reward-margin", 0.0, 1e9);
        p.requireOneOf(c, "all-agree", List.of("skip", "resample"));
        p.requireRange(c, "max-resample-rounds", 1, 1000);
        p.requireRange(c, "micro-batch-size", 1, 1_000_000);
        p.requireRange(c, "reference-cache-size", 0, 100_000_000);
        p.requireRange(c, "rpo-alpha", 0.0, 1e6);
        p.requireRange(c, "gamma", 0.0, 1e6);
        p.requireRange(c, "lambda", 1e-9, 1e6);
        p.requireRange(c, "desirable-weight", 1e-9, 1e6);
        p.requireRange(c, "undesirable-weight", 1e-9, 1e6);
        String type = c.hasPath("loss-type") ? c.getString("loss-type") : "";
        if (c.hasPath("label-smoothing") && c.getDouble("label-smoothing") > 0
                && List.of("hinge", "ipo", "orpo", "kto").contains(type)) {
            p.add(c, "label-smoothing", "applies only to loss-type sigmoid, robust or simpo (got loss-type = "
                    + type + "); set it to 0");
        }
        if (c.hasPath("rpo-alpha") && c.getDouble("rpo-alpha") > 0 && List.of("orpo", "kto").contains(type)) {
            p.add(c, "rpo-alpha", type.equals("orpo")
                    ? "orpo already adds the chosen completions' NLL (its odds-ratio term is weighted by lambda);"
                    + " set rpo-alpha = 0"
                    : "kto trains on single completions, not pairs, so there is no chosen NLL to add;"
                    + " set rpo-alpha = 0");
        }
        if (c.hasPath("length-normalize") && c.getBoolean("length-normalize") && type.equals("kto")) {
            p.add(c, "length-normalize", "kto compares summed log-probs with the KL reference point (TRL); set"
                    + " length-normalize = false (simpo and orpo always use mean log-probs)");
        }
        if (c.hasPath("pairs-per-prompt") && c.hasPath("completions-per-prompt")
                && c.getInt("pairs-per-prompt") > c.getInt("completions-per-prompt") / 2) {
            p.add(c, "pairs-per-prompt", "pairs use distinct completions, so at most completions-per-prompt / 2 = "
                    + c.getInt("completions-per-prompt") / 2 + " pairs per prompt can be formed (got "
                    + c.getInt("pairs-per-prompt") + ")");
        }
    }
}
