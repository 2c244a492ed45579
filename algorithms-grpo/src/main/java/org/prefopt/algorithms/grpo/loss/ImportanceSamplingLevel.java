package org.prefopt.algorithms.grpo.loss;

/**
 * Where the importance ratio {@code π/π_old} is taken ({@code importance-sampling-level}, TRL's
 * {@code importance_sampling_level}).
 * <ul>
 *   <li>{@code token}: one ratio per token, {@code r_it = exp(lp_it - old_it)} (GRPO, PPO);</li>
 *   <li>{@code sequence}: one ratio per completion, the geometric mean of its token ratios,
 *       {@code s_i = exp((1/T_i) Σ_t (lp_it - old_it))}, used (and clipped) for every token of the completion
 *       (GSPO, Zheng et al. 2025; TRL computes {@code log_importance_weights} as the masked mean of the token
 *       log-ratios).</li>
 * </ul>
 */
public enum ImportanceSamplingLevel {
    TOKEN("token"),
    SEQUENCE("sequence");

    private final String optionName;

    ImportanceSamplingLevel(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static ImportanceSamplingLevel fromOption(String value) {
        for (ImportanceSamplingLevel l : values()) {
            if (l.optionName.equals(value)) {
                return l;
            }
        }
        throw new IllegalArgumentException("importance-sampling-level must be token or sequence (got '" + value
                + "')");
    }
}
