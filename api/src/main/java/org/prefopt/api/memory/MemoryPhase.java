package org.prefopt.api.memory;

/**
 * When a part of a run's memory is held. Loading, generation and training never run at the same time, so a run's
 * peak is what stays resident plus the largest of the three phases, not the sum of everything.
 */
public enum MemoryPhase {
    /** Held for the whole run: weights, adapters, gradients, optimizer state, reference copy, runtime. */
    RESIDENT,
    /** Held while the checkpoint is read into the device's memory (buffers between the file and the weights). */
    LOADING,
    /** Held while rollouts or evaluation samples are generated: KV cache and decoding temporaries. */
    GENERATION,
    /** Held during a training micro-batch: activations saved for the backward pass, logits. */
    TRAINING
}
