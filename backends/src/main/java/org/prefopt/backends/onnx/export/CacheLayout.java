package org.prefopt.backends.onnx.export;

/** How an exported decoder keeps its KV cache between steps. */
public enum CacheLayout {
    /**
     * Hugging Face Optimum's {@code text-generation-with-past}: {@code past_key_values.*} in, past and new positions
     * concatenated out as {@code present.*} (a new, longer cache every step), left padding through
     * {@code attention_mask}. The layout of files written for other tools (transformers.js, ONNX Runtime GenAI,
     * Optimum), and of exports in float16.
     */
    OPTIMUM,
    /**
     * One buffer of fixed capacity per layer and key/value, {@code [batch, kv_heads, capacity, head_dim]}, which ONNX
     * Runtime's {@code GroupQueryAttention} (operator set {@code com.microsoft}) writes the new positions into in
     * place when the same tensor is passed as {@code past_key_values.*} and pinned as {@code present.*}; each row's
     * length comes as {@code seqlens_k} (length - 1) with {@code total_sequence_length}, prompts right-padded. No copy
     * of the cache per step (Optimum's layout copies all of it). ONNX Runtime only, float32: the engine's own graph.
     */
    IN_PLACE
}
