package org.prefopt.api.model;

import java.util.List;

/**
 * A loss that depends on the model only through per-token log-probs (and optionally entropies) of given
 * sequences. The backend runs the differentiable forward pass, hands the values here, and back-propagates the
 * returned gradients ({@code dLoss/dLogprob}, {@code dLoss/dEntropy}) through its graph. This keeps every
 * algorithm engine-free and exactly differentiable: any loss of that form (GRPO, PPO-clip, DPO, SFT, KL
 * penalties, entropy bonus) has its exact gradient this way.
 */
@FunctionalInterface
public interface TokenLoss {

    LossGradients evaluate(List<SequenceScores> current);

    /**
     * Whether the last {@link #evaluate} met a non-finite value (it then hands back NaN gradients, which make the
     * optimizer step discard the update).
     */
    default boolean nonFinite() {
        return false;
    }
}
