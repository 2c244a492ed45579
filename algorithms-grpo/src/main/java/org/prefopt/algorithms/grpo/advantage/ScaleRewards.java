package org.prefopt.algorithms.grpo.advantage;

/** How group-centred rewards are scaled into advantages (TRL's {@code scale_rewards}). */
public enum ScaleRewards {
    /** Divide by the standard deviation of the prompt's group (original GRPO). */
    GROUP("group"),
    /** Divide by the standard deviation of all rewards of the step (robust to near-constant groups). */
    BATCH("batch"),
    /** No scaling (Dr. GRPO: scaling by the group std biases towards too easy or too hard prompts). */
    NONE("none");

    private final String optionName;

    ScaleRewards(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static ScaleRewards fromOption(String value) {
        for (ScaleRewards s : values()) {
            if (s.optionName.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scale-rewards must be one of group, batch, none (got '" + value + "')");
    }
}
