package org.prefopt.backends.onnx;

/**
 * The input and output names of Hugging Face Optimum's {@code text-generation-with-past} export, which the exporter
 * writes and the engine expects, so models go both ways between prefopt and transformers.js, ONNX Runtime GenAI or
 * Optimum. Caches are laid out {@code [batch, kv_heads, sequence, head_dim]}.
 */
public final class OnnxNames {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String POSITION_IDS = "position_ids";
    public static final String LOGITS = "logits";
    /** In-place cache graphs ({@code GroupQueryAttention}, ONNX Runtime GenAI's names): each row's length - 1, int32. */
    public static final String SEQLENS_K = "seqlens_k";
    /** In-place cache graphs: the longest row's length after the step, an int32 scalar. */
    public static final String TOTAL_SEQUENCE_LENGTH = "total_sequence_length";
    /** The file name of the graph inside an export directory (Optimum's). */
    public static final String MODEL_FILE = "model.onnx";
    /** Where the weights go when they do not fit one protobuf message (2 GB). */
    public static final String DATA_FILE = "model.onnx_data";

    private OnnxNames() {
    }

    public static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    public static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    public static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    public static String presentValue(int layer) {
        return "present." + layer + ".value";
    }
}
