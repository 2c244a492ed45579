package org.prefopt.algorithms.grpo.loss;

/**
 * Per-token estimators of KL(policy || reference) from the sampled token's log-probs under both (Schulman's
 * "Approximating KL divergence" k1, k2, k3; TRL and verl use k3 by default). With {@code d = ref - lp}:
 * <ul>
 *   <li>k1 = -d = lp - ref (unbiased, high variance, can be negative)</li>
 *   <li>k2 = d²/2 (biased, low variance, non-negative)</li>
 *   <li>k3 = exp(d) - d - 1 (unbiased, low variance, non-negative)</li>
 * </ul>
 */
public enum KlEstimator {
    K1("k1"),
    K2("k2"),
    K3("k3");

    private final String optionName;

    KlEstimator(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    /** The estimate for one token given its policy log-prob {@code lp} and reference log-prob {@code ref}. */
    public double value(double lp, double ref) {
        double d = ref - lp;
        return switch (this) {
            case K1 -> -d;
            case K2 -> 0.5 * d * d;
            case K3 -> StrictMath.exp(d) - d - 1.0;
        };
    }

    /** d value / d lp (the reference is constant). */
    public double gradient(double lp, double ref) {
        double d = ref - lp;
        return switch (this) {
            case K1 -> 1.0;
            case K2 -> -d;
            case K3 -> 1.0 - StrictMath.exp(d);
        };
    }

    public static KlEstimator fromOption(String value) {
        for (KlEstimator e : values()) {
            if (e.optionName.equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("kl-estimator must be one of k1, k2, k3 (got '" + value + "')");
    }
}
