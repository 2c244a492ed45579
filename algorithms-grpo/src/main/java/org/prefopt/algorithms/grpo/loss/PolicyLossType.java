package org.prefopt.algorithms.grpo.loss;

/**
 * The per-token policy objective ({@code loss-type}); how token losses are summed is {@link LossAggregation}'s.
 * <ul>
 *   <li>{@code clip}: PPO's clipped surrogate {@code -min(r·A, clip(r, 1-εlow, 1+εhigh)·A)}, optionally with the
 *       two-sided cap {@code delta} on the unclipped branch (GRPO, DAPO, GSPO; see {@link ClippedObjective});</li>
 *   <li>{@code cispo}: CISPO (MiniMax-M1), {@code -sg(min(r, ε_max))·A·lp}: the clipped importance weight is a
 *       stop-gradient coefficient on the log-prob, so every token keeps a gradient (TRL's {@code loss_type="cispo"}:
 *       {@code -clamp(coef_1, max=epsilon_high).detach() * advantages * per_token_logps}; prefopt names TRL's
 *       {@code epsilon_high} of this mode {@code epsilon-max}).</li>
 * </ul>
 */
public enum PolicyLossType {
    CLIP("clip"),
    CISPO("cispo");

    private final String optionName;

    PolicyLossType(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static PolicyLossType fromOption(String value) {
        for (PolicyLossType t : values()) {
            if (t.optionName.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("loss-type must be clip or cispo (got '" + value + "')");
    }
}
