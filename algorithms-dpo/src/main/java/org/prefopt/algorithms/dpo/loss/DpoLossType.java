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
 * and the reference-free and unpaired members of the family, which {@link DpoTokenLoss} and {@link KtoTokenLoss}
 * compute from the policy's log-probs directly:
 * <ul>
 *   <li>simpo: {@code -(1-ε)·logσ(β(m_w - m_l) - γ) - ε·logσ(-(β(m_w - m_l) - γ))} on mean token log-probs, no
 *       reference (SimPO; TRL's CPO trainer with {@code loss_type="simpo"}, {@code simpo_gamma})</li>
 *   <li>orpo: {@code NLL(y_w) - λ·logσ(log odds(y_w) - log odds(y_l))}, {@code log odds(y) = m - log(1 - e^m)} on mean
 *       token log-probs, no reference (ORPO; TRL's ORPO trainer, whose {@code beta} is λ)</li>
 *   <li>kto: unpaired, {@code λ_D(1 - σ(β(r - z)))} for a desirable and {@code λ_U(1 - σ(β(z - r)))} for an
 *       undesirable completion, {@code r} its log-ratio to the reference and {@code z} the step's KL estimate
 *       (KTO; TRL's KTO trainer)</li>
 * </ul>
 */
public enum DpoLossType {
    SIGMOID("sigmoid"),
    ROBUST("robust"),
    HINGE("hinge"),
    IPO("ipo"),
    SIMPO("simpo"),
    ORPO("orpo"),
    KTO("kto");

    /** The option values, in order. */
    public static final java.util.List<String> OPTION_NAMES = java.util.Arrays.stream(values())
            .map(DpoLossType::optionName).toList();

    private final String optionName;

    DpoLossType(String optionName) {
        this.optionName = optionName;
    }

    public String optionName() {
        return optionName;
    }

    /** Whether label-smoothing enters this loss. */
    public boolean usesLabelSmoothing() {
        return this == SIGMOID || this == ROBUST || this == SIMPO;
    }

    /** Whether the loss compares with a reference model (SimPO and ORPO do not: no reference pass at all). */
    public boolean needsReference() {
        return this != SIMPO && this != ORPO;
    }

    /** Whether the loss trains on preference pairs (KTO trains on single completions labelled good or bad). */
    public boolean paired() {
        return this != KTO;
    }

    /** Whether the loss is a function {@code f(h)} of the reference log-ratio difference ({@link #value}). */
    public boolean ofLogRatioDifference() {
        return this == SIGMOID || this == ROBUST || this == HINGE || this == IPO;
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
            default -> throw new IllegalStateException(optionName + " is not a function of the log-ratio difference");
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
            default -> throw new IllegalStateException(optionName + " is not a function of the log-ratio difference");
        };
    }

    /** log σ(x) without overflow: -log(1 + e^-x) for x ≥ 0, x - log(1 + e^x) otherwise. */
    public static double logSigmoid(double x) {
        return x >= 0 ? -StrictMath.log1p(StrictMath.exp(-x)) : x - StrictMath.log1p(StrictMath.exp(x));
    }

    public static double sigmoid(double x) {
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
        throw new IllegalArgumentException("loss-type must be one of " + String.join(", ", OPTION_NAMES) + " (got '"
                + value + "')");
    }
}
