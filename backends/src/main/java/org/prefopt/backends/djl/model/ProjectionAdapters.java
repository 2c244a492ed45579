package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;

/**
 * Learned terms the {@link Decoder} adds to some of its linear projections ({@code y = W x + delta(x)}), such as
 * LoRA adapters. The decoder knows only this interface, so the adapter implementations depend on the model and
 * not the other way round.
 */
public interface ProjectionAdapters {

    /** Whether {@code module} (e.g. {@code model.layers.3.self_attn.q_proj}) has an adapter. */
    boolean covers(String module);

    /** The adapter's contribution for input {@code x} (any float dtype), in x's dtype; dropout when training. */
    NDArray delta(String module, NDArray x, boolean training);
}
