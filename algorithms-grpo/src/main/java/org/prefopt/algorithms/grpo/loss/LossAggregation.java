package org.prefopt.algorithms.grpo.loss;

/**
 * How per-token losses become one number. Every variant is a weighted token sum {@code L = Σ_i w_i Σ_t l_it}
 * whose weights {@code w_i} are computed from the whole step's batch, so the loss (and its gradient) does not
 * depend on how the batch is split into micro-batches for gradient accumulation.
 *
 * <ul>
 *   <li>{@code grpo}: mean over each sequence's tokens, then mean over sequences: {@code w_i = 1 / (N · T_i)}</li>
 *   <li>{@code bnpo}, {@code dapo}: token mean over the whole step: {@code w_i = 1 / Σ_j T_j}. TRL's bnpo
 *       normalises per local (micro-)batch and dapo by the global token count; normalising by the step's
 *       token count makes both the same here.</li>
 *   <li>{@code dr-grpo}: {@code w_i = 1 / (N · L)} with {@code L} the maximum completion length (Dr. GRPO)</li>
 * </ul>
 * {@code N} counts every sequence of the step, including those masked out (truncated, with
 * mask-truncated-completions), as TRL does; {@code T_j} counts only unmasked tokens.
 */
public enum LossAggregation {
    GRPO("grpo"),
    BNPO("bnpo"),
    DR_GRPO("dr-grpo"),
    DAPO("dapo");

    private final String optionName;

    LossAggregation(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    /**
     * Per-sequence token weights.
     *
     * @param tokenCounts         unmasked completion tokens of each sequence (0 for masked sequences)
     * @param numSequences        N: all sequences of the step, masked ones included
     * @param maxCompletionLength L for dr-grpo
     */
    public double[] weights(int[] tokenCounts, int numSequences, int maxCompletionLength) {
        double[] w = new double[tokenCounts.length];
        long totalTokens = 0;
        for (int t : tokenCounts) {
            totalTokens += t;
        }
        for (int i = 0; i < w.length; i++) {
            if (tokenCounts[i] == 0) {
                continue;
            }
            w[i] = switch (this) {
                case GRPO -> 1.0 / ((double) numSequences * tokenCounts[i]);
                case BNPO, DAPO -> 1.0 / totalTokens;
                case DR_GRPO -> 1.0 / ((double) numSequences * maxCompletionLength);
            };
        }
        return w;
    }

    public static LossAggregation fromOption(String value) {
        for (LossAggregation a : values()) {
            if (a.optionName.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("loss-aggregation must be one of grpo, bnpo, dr-grpo, dapo (got '"
                + value + "')");
    }
}
