package org.prefopt.algorithms.grpo;

/** What to do with groups whose completions all got the same reward (no group-relative signal). */
public enum ZeroStdGroups {
    /** Leave them out of the update (DAPO's dynamic sampling without refill). */
    DROP("drop"),
    /** Train on them with zero advantage (TRL's behaviour: they still count in the loss normalisation). */
    KEEP("keep"),
    /** Leave them out and draw more prompts, up to max-resample-rounds generation rounds (DAPO). */
    RESAMPLE("resample");

    private final String optionName;

    ZeroStdGroups(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    public static ZeroStdGroups fromOption(String value) {
        for (ZeroStdGroups z : values()) {
            if (z.optionName.equals(value)) {
                return z;
            }
        }
        throw new IllegalArgumentException("zero-std-groups must be one of drop, keep, resample (got '" + value + "')");
    }
}
