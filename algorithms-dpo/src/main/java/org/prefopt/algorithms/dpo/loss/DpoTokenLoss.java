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
 */
public final class DpoTokenLoss implements TokenLoss {

    /** Settings shared by every micro-batch. */
    public record Settings(DpoLossType type, double beta, double labelSmoothing, boolean lengthNormalize,
                           double rpoAlpha) {
    }

    private final Settings settings;
    private final double[] refChosen;
    private final double[] refRejected;
    private final int stepPairs;
    private final DpoStats stats;
    private boolean nonFinite;

    /**
     * @param refChosen   per pair, the sum of the chosen completion's reference log-probs
     * @param refRejected per pair, the same for the rejected completion
     * @param stepPairs   P, the number of pairs in the whole step (the loss is their mean)
     */
    public DpoTokenLoss(Settings settings, double[] refChosen, double[] refRejected, int stepPairs, DpoStats stats) {
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
            double sc = normalise(sum(chosen), chosen.length);
            double sr = normalise(sum(rejected), rejected.length);
            double rc = normalise(refChosen[k], chosen.length);
            double rr = normalise(refRejected[k], rejected.length);
            double h = (sc - rc) - (sr - rr);
            loss += settings.type().value(h, settings.beta(), settings.labelSmoothing()) / stepPairs;
            double dh = settings.type().derivative(h, settings.beta(), settings.labelSmoothing()) / stepPairs;
            double nll = -sum(chosen) / Math.max(1, chosen.length);
            loss += settings.rpoAlpha() * nll / stepPairs;
            grads.add(filled(chosen.length, dh * normalise(1.0, chosen.length)
                    - settings.rpoAlpha() / stepPairs / Math.max(1, chosen.length)));
            grads.add(filled(rejected.length, -dh * normalise(1.0, rejected.length)));
            stats.add(settings.beta() * (sc - rc), settings.beta() * (sr - rr), sc, sr, nll);
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
