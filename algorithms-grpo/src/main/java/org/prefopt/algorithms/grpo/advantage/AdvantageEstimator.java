package org.prefopt.algorithms.grpo.advantage;

/**
 * How a group's rewards become advantages ({@code advantage} option).
 * <ul>
 *   <li>{@code group}: GRPO's group-relative advantage, centred on the group mean and scaled as
 *       {@code scale-rewards} says;</li>
 *   <li>{@code rloo}: REINFORCE Leave-One-Out, {@code A_j = R_j - mean of the other G-1 rewards of the group}, not
 *       scaled (TRL's RLOO trainer and verl's {@code rloo} estimator);</li>
 *   <li>{@code reinforce-plus-plus}: REINFORCE++-baseline, {@code R_j - group mean}, then whitened over every loss
 *       token of the step (verl's {@code reinforce_plus_plus_baseline}, OpenRLHF's {@code reinforce_baseline}).</li>
 * </ul>
 */
public enum AdvantageEstimator {
    GROUP("group"),
    RLOO("rloo"),
    REINFORCE_PLUS_PLUS("reinforce-plus-plus");

    private final String optionName;

    AdvantageEstimator(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static AdvantageEstimator fromOption(String value) {
        for (AdvantageEstimator a : values()) {
            if (a.optionName.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("advantage must be one of group, rloo, reinforce-plus-plus (got '"
                + value + "')");
    }
}
