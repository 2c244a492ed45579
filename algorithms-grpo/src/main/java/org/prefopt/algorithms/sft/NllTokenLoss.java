package org.prefopt.algorithms.sft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;

/**
 * Mean token negative log-likelihood over a whole step: {@code L = -(1/T) Σ_i Σ_t lp_it} with {@code T} the
 * step's completion-token count (not the micro-batch's), so accumulation over micro-batches gives the same
 * loss and gradient as one big batch. {@code dL/dlp_it = -1/T}.
 */
public final class NllTokenLoss implements TokenLoss {

    private final long stepTokens;
    private boolean nonFinite;

    public NllTokenLoss(long stepTokens) {
        if (stepTokens < 1) {
            throw new IllegalArgumentException("step token count must be positive (got " + stepTokens + ")");
        }
        this.stepTokens = stepTokens;
    }

    @Override
    public LossGradients evaluate(List<SequenceScores> current) {
        double loss = 0;
        float g = (float) (-1.0 / stepTokens);
        List<float[]> grads = new ArrayList<>(current.size());
        for (SequenceScores s : current) {
            for (float lp : s.logprobs()) {
                loss -= lp;
            }
            float[] gi = new float[s.logprobs().length];
            Arrays.fill(gi, g);
            grads.add(gi);
        }
        loss /= stepTokens;
        if (!Double.isFinite(loss)) {
            // NaN gradients make the optimizer step discard the accumulated update (see PolicyModel#optimizerStep)
            nonFinite = true;
            grads.forEach(a -> Arrays.fill(a, Float.NaN));
        }
        return new LossGradients(loss, grads, null);
    }

    @Override
    public boolean nonFinite() {
        return nonFinite;
    }
}
