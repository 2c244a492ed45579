package org.prefopt.api.algorithm;

/**
 * The loss and the update rule (GRPO, DPO, SFT, ...). Engine-free: it computes on per-token log-probs given by
 * the policy and hands gradients back through {@link org.prefopt.api.model.TokenLoss}.
 */
public interface Algorithm {

    /** Runs one training step: draw, generate or read, score, compute the loss, update. */
    StepResult step(StepContext context);

    /** Serialised algorithm state needed to resume exactly (caches, counters); empty when stateless. */
    default byte[] saveState() {
        return new byte[0];
    }

    default void restoreState(byte[] state) {
    }
}
