package org.prefopt.algorithms.dpo.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;

/**
 * The KTO loss of one micro-batch of single completions, each labelled desirable or undesirable (Ethayarajh et al.
 * 2024; TRL's {@code KTOTrainer.kto_loss}):
 * <pre>
 *   r_i = Σ_t lp_it - ref_i                          the completion's log-ratio to the reference (summed log-probs)
 *   z   = max(0, KL estimate of the step)            the reference point, a constant (no gradient)
 *   l_i = λ_D (1 - σ(β (r_i - z)))                   desirable
 *   l_i = λ_U (1 - σ(β (z - r_i)))                   undesirable
 *   L   = (1/N) Σ_i l_i                              N = completions of the whole step
 *   dL/dlp_it = -λ_D β σ(u)σ(-u) / N,  u = β (r_i - z)     desirable
 *   dL/dlp_it = +λ_U β σ(v)σ(-v) / N,  v = β (z - r_i)     undesirable
 * </pre>
 * Implicit rewards are {@code β r_i}, as TRL logs them.
 */
public final class KtoTokenLoss implements TokenLoss {

    /** Settings shared by every micro-batch. */
    public record Settings(double beta, double desirableWeight, double undesirableWeight) {
    }

    private final Settings settings;
    private final boolean[] desirable;
    private final double[] reference;
    private final double referencePoint;
    private final int stepItems;
    private final KtoStats stats;
    private boolean nonFinite;

    /**
     * @param desirable      per completion, its label
     * @param reference      per completion, the sum of its reference log-probs
     * @param referencePoint z, the step's KL estimate clamped at 0
     * @param stepItems      N, the completions of the whole step
     */
    public KtoTokenLoss(Settings settings, boolean[] desirable, double[] reference, double referencePoint,
                        int stepItems, KtoStats stats) {
        this.settings = settings;
        this.desirable = desirable;
        this.reference = reference;
        this.referencePoint = referencePoint;
        this.stepItems = stepItems;
        this.stats = stats;
    }

    @Override
    public LossGradients evaluate(List<SequenceScores> current) {
        if (current.size() != desirable.length) {
            throw new IllegalStateException("policy returned scores for " + current.size() + " sequences, "
                    + desirable.length + " were given");
        }
        double beta = settings.beta();
        double loss = 0;
        List<float[]> grads = new ArrayList<>(current.size());
        for (int i = 0; i < desirable.length; i++) {
            float[] lp = current.get(i).logprobs();
            double sum = 0;
            for (float x : lp) {
                sum += x;
            }
            double r = sum - reference[i];
            double derivative;
            if (desirable[i]) {
                double u = beta * (r - referencePoint);
                loss += settings.desirableWeight() * (1 - DpoLossType.sigmoid(u)) / stepItems;
                derivative = -settings.desirableWeight() * beta * DpoLossType.sigmoid(u) * DpoLossType.sigmoid(-u)
                        / stepItems;
            } else {
                double v = beta * (referencePoint - r);
                loss += settings.undesirableWeight() * (1 - DpoLossType.sigmoid(v)) / stepItems;
                derivative = settings.undesirableWeight() * beta * DpoLossType.sigmoid(v) * DpoLossType.sigmoid(-v)
                        / stepItems;
            }
            float[] g = new float[lp.length];
            Arrays.fill(g, (float) derivative);
            nonFinite |= !Float.isFinite((float) derivative);
            grads.add(g);
            stats.add(desirable[i], beta * r, sum, r > referencePoint);
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
}
