package org.prefopt.algorithms.dpo.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;

/**
 * The DPO loss of one micro-batch of pairs, laid out as sequences {@code [chosen_0, rejected_0, chosen_1, ...]}:
 * <pre>
 *   s(y) = Σ_t lp_t          (or the mean over tokens with length-normalize)
 *   h_k  = (s(y_w) - ref_w) - (s(y_l) - ref_l)
 *   L    = (1/P) Σ_k f(h_k)                       P = pairs of the whole step
 *   dL/dlp_t = f'(h_k)/P · (+1 for chosen, -1 for rejected) · (1/T with length-normalize, else 1)
 * </pre>
 * With {@code rpo-alpha = α > 0} the loss adds the chosen completions' negative log-likelihood (RPO, TRL's
 * {@code rpo_alpha}; the NLL term of Iterative Reasoning Preference Optimization), each completion's token mean
 * averaged over the step's pairs: {@code L += α/P Σ_k (−1/T_k Σ_t lp_t(y_w,k))}, so {@code dL/dlp_t} of a chosen
 * token gains {@code −α/(P·T_k)}. It keeps DPO from lowering the likelihood of the preferred answers.
 * Reference values are sums of reference log-probs; they are normalised here the same way as the policy's.
 * DPO's implicit rewards are {@code β (s(y) - ref)}.
 *
 * <p>The reference-free losses use mean token log-probs {@code m(y)} and get no reference values:
 * <pre>
 *   simpo: x = β (m_w - m_l) - γ,  f = -(1-ε) logσ(x) - ε logσ(-x)
 *          df/dm_w = β (-(1-ε) σ(-x) + ε σ(x)) = -df/dm_l                 implicit rewards β·m (TRL's CPO)
 *   orpo:  o = (m_w - log(1 - e^m_w)) - (m_l - log(1 - e^m_l)),  f = -λ logσ(o)
 *          df/dm_w = -λ σ(-o) / (1 - e^m_w),   df/dm_l = λ σ(-o) / (1 - e^m_l)   implicit rewards λ·m (TRL's ORPO)
 *          plus the NLL of the chosen completions as TRL's ORPO takes it, a token mean over the step:
 *          L += -(1/C) Σ_k Σ_t lp_t(y_w,k),  dL/dlp_t = -1/C for chosen tokens, C = chosen tokens of the step
 * </pre>
 * and {@code dL/dlp_t = (df/dm)/(P·T)} for each token of a completion of length {@code T}.
 */
public final class DpoTokenLoss implements TokenLoss {

    /** Settings shared by every micro-batch. */
    public record Settings(DpoLossType type, double beta, double labelSmoothing, boolean lengthNormalize,
                           double rpoAlpha, double gamma, double orpoLambda) {

        /** The losses with a reference (sigmoid, robust, hinge, ipo). */
        public Settings(DpoLossType type, double beta, double labelSmoothing, boolean lengthNormalize,
                        double rpoAlpha) {
            this(type, beta, labelSmoothing, lengthNormalize, rpoAlpha, 0.5, 0.1);
        }
    }

    private final Settings settings;
    private final double[] refChosen;
    private final double[] refRejected;
    private final int stepPairs;
    private final long stepChosenTokens;
    private final DpoStats stats;
    private boolean nonFinite;

    /**
     * @param refChosen   per pair, the sum of the chosen completion's reference log-probs
     * @param refRejected per pair, the same for the rejected completion
     * @param stepPairs   P, the number of pairs in the whole step (the loss is their mean)
     */
    public DpoTokenLoss(Settings settings, double[] refChosen, double[] refRejected, int stepPairs, DpoStats stats) {
        this(settings, refChosen, refRejected, stepPairs, 0, stats);
    }

    /**
     * @param refChosen        per pair, the reference sum of the chosen completion (ignored by simpo and orpo, which
     *                         may pass zeros)
     * @param stepChosenTokens C, the chosen completions' tokens of the whole step (orpo's NLL is their mean)
     */
    public DpoTokenLoss(Settings settings, double[] refChosen, double[] refRejected, int stepPairs,
                        long stepChosenTokens, DpoStats stats) {
        if (!settings.type().paired()) {
            throw new IllegalArgumentException(settings.type().optionName() + " is not a pairwise loss");
        }
        if (settings.type() == DpoLossType.ORPO && stepChosenTokens <= 0) {
            throw new IllegalArgumentException("orpo needs the step's count of chosen tokens");
        }
        this.stepChosenTokens = stepChosenTokens;
        this.settings = settings;
        this.refChosen = refChosen;
        this.refRejected = refRejected;
        this.stepPairs = stepPairs;
        this.stats = stats;
    }

    @Override
    public LossGradients evaluate(List<SequenceScores> current) {
        if (current.size() != 2 * refChosen.length) {
            throw new IllegalStateException("policy returned scores for " + current.size() + " sequences, "
                    + 2 * refChosen.length + " were given");
        }
        double loss = 0;
        List<float[]> grads = new ArrayList<>(current.size());
        for (int k = 0; k < refChosen.length; k++) {
            float[] chosen = current.get(2 * k).logprobs();
            float[] rejected = current.get(2 * k + 1).logprobs();
            switch (settings.type()) {
                case SIMPO -> loss += simpo(chosen, rejected, grads);
                case ORPO -> loss += orpo(chosen, rejected, grads);
                default -> loss += withReference(k, chosen, rejected, grads);
            }
        }
        for (float[] g : grads) {
            for (float v : g) {
                nonFinite |= !Float.isFinite(v);
            }
        }
        if (!Double.isFinite(loss) || nonFinite) {
            // NaN gradients make the policy's optimizer step discard the whole accumulated update
            nonFinite = true;
            grads.forEach(g -> Arrays.fill(g, Float.NaN));
        }
        return new LossGradients(loss, grads, null);
    }

    private double withReference(int k, float[] chosen, float[] rejected, List<float[]> grads) {
        double sc = normalise(sum(chosen), chosen.length);
        double sr = normalise(sum(rejected), rejected.length);
        double rc = normalise(refChosen[k], chosen.length);
        double rr = normalise(refRejected[k], rejected.length);
        double h = (sc - rc) - (sr - rr);
        double loss = settings.type().value(h, settings.beta(), settings.labelSmoothing()) / stepPairs;
        double dh = settings.type().derivative(h, settings.beta(), settings.labelSmoothing()) / stepPairs;
        double nll = -sum(chosen) / Math.max(1, chosen.length);
        loss += settings.rpoAlpha() * nll / stepPairs;
        grads.add(filled(chosen.length, dh * normalise(1.0, chosen.length)
                - settings.rpoAlpha() / stepPairs / Math.max(1, chosen.length)));
        grads.add(filled(rejected.length, -dh * normalise(1.0, rejected.length)));
        stats.add(settings.beta() * (sc - rc), settings.beta() * (sr - rr), sc, sr, nll);
        return loss;
    }

    /** SimPO (TRL's CPO trainer, loss_type = "simpo": logits = (m_w - m_l) - γ/β, so β·logits = β(m_w - m_l) - γ). */
    private double simpo(float[] chosen, float[] rejected, List<float[]> grads) {
        double mc = mean(chosen);
        double mr = mean(rejected);
        double beta = settings.beta();
        double eps = settings.labelSmoothing();
        double x = beta * (mc - mr) - settings.gamma();
        double loss = (-(1 - eps) * DpoLossType.logSigmoid(x) - eps * DpoLossType.logSigmoid(-x)) / stepPairs;
        double dm = beta * (-(1 - eps) * DpoLossType.sigmoid(-x) + eps * DpoLossType.sigmoid(x)) / stepPairs;
        double nll = -mc;
        loss += settings.rpoAlpha() * nll / stepPairs;
        grads.add(filled(chosen.length, (dm - settings.rpoAlpha() / stepPairs) / Math.max(1, chosen.length)));
        grads.add(filled(rejected.length, -dm / Math.max(1, rejected.length)));
        stats.add(beta * mc, beta * mr, mc, mr, nll);
        return loss;
    }

    /** ORPO (TRL's ORPO trainer: log_odds = (m_w - m_l) - (log1p(-e^m_w) - log1p(-e^m_l)), loss = NLL - λ·logσ). */
    private double orpo(float[] chosen, float[] rejected, List<float[]> grads) {
        double mc = mean(chosen);
        double mr = mean(rejected);
        double lambda = settings.orpoLambda();
        // log(1 - e^m) = log(-expm1(m)): exact for m near 0, where 1 - e^m cancels
        double oneMinusPc = -StrictMath.expm1(mc);
        double oneMinusPr = -StrictMath.expm1(mr);
        double odds = (mc - StrictMath.log(oneMinusPc)) - (mr - StrictMath.log(oneMinusPr));
        double ratio = DpoLossType.logSigmoid(odds);
        double loss = -lambda * ratio / stepPairs;
        double s = DpoLossType.sigmoid(-odds);
        double dmc = -lambda * s / oneMinusPc / stepPairs;
        double dmr = lambda * s / oneMinusPr / stepPairs;
        double chosenSum = sum(chosen);
        loss += -chosenSum / stepChosenTokens;
        grads.add(filled(chosen.length, dmc / Math.max(1, chosen.length) - 1.0 / stepChosenTokens));
        grads.add(filled(rejected.length, dmr / Math.max(1, rejected.length)));
        stats.add(lambda * mc, lambda * mr, mc, mr, -mc);
        stats.addOddsRatio(ratio, odds);
        return loss;
    }

    private static double mean(float[] xs) {
        return sum(xs) / Math.max(1, xs.length);
    }

    @Override
    public boolean nonFinite() {
        return nonFinite;
    }

    private double normalise(double value, int tokens) {
        return settings.lengthNormalize() ? value / Math.max(1, tokens) : value;
    }

    private static double sum(float[] xs) {
        double s = 0;
        for (float x : xs) {
            s += x;
        }
        return s;
    }

    private static float[] filled(int n, double v) {
        float[] a = new float[n];
        Arrays.fill(a, (float) v);
        return a;
    }
}
