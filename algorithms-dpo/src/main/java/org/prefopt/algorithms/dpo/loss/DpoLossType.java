package org.prefopt.algorithms.dpo.loss;

/**
 * DPO losses as functions of the log-ratio difference
 * {@code h = (log π(y_w) - log π_ref(y_w)) - (log π(y_l) - log π_ref(y_l))}, with TRL's definitions
 * ({@code ε} is label-smoothing):
 * <ul>
 *   <li>sigmoid: {@code -(1-ε)·logσ(βh) - ε·logσ(-βh)} (DPO; conservative DPO with ε > 0)</li>
 *   <li>robust: {@code (-(1-ε)·logσ(βh) + ε·logσ(-βh)) / (1 - 2ε)} (unbiased under label noise, Chowdhury et al.)</li>
 *   <li>hinge: {@code max(0, 1 - βh)} (SLiC)</li>
 *   <li>ipo: {@code (h - 1/(2β))²} (IPO)</li>
 * </ul>
 */
public enum DpoLossType {
    SIGMOID("sigmoid"),
    ROBUST("robust"),
    HINGE("hinge"),
    IPO("ipo");

    private final String optionName;

    DpoLossType(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    /** Whether label-smoothing enters this loss. */
    public boolean usesLabelSmoothing() {
        return this == SIGMOID || this == ROBUST;
    }

    public double value(double h, double beta, double labelSmoothing) {
        double x = beta * h;
        return switch (this) {
            case SIGMOID -> -(1 - labelSmoothing) * logSigmoid(x) - labelSmoothing * logSigmoid(-x);
            case ROBUST -> (-(1 - labelSmoothing) * logSigmoid(x) + labelSmoothing * logSigmoid(-x))
                    / (1 - 2 * labelSmoothing);
            case HINGE -> Math.max(0.0, 1 - x);
            case IPO -> {
                double d = h - 1 / (2 * beta);
                yield d * d;
            }
        };
    }

    /** d value / d h, using d logσ(x)/dx = σ(-x). */
    public double derivative(double h, double beta, double labelSmoothing) {
        double x = beta * h;
        return switch (this) {
            case SIGMOID -> -(1 - labelSmoothing) * beta * sigmoid(-x) + labelSmoothing * beta * sigmoid(x);
            case ROBUST -> (-(1 - labelSmoothing) * beta * sigmoid(-x) - labelSmoothing * beta * sigmoid(x))
                    / (1 - 2 * labelSmoothing);
            case HINGE -> 1 - x > 0 ? -beta : 0.0;
            case IPO -> 2 * (h - 1 / (2 * beta));
        };
    }

    /** log σ(x) without overflow: -log(1 + e^-x) for x ≥ 0, x - log(1 + e^x) otherwise. */
    static double logSigmoid(double x) {
        return x >= 0 ? -StrictMath.log1p(StrictMath.exp(-x)) : x - StrictMath.log1p(StrictMath.exp(x));
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1 + e);
    }

    public static DpoLossType fromOption(String value) {
        for (DpoLossType t : values()) {
            if (t.optionName.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("loss-type must be one of sigmoid, robust, hinge, ipo (got '" + value + "')");
    }
}
