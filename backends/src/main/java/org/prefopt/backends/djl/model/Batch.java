package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A left-padded batch of token sequences ready for the decoder: ids, position ids counted from each row's first
 * real token, and the additive attention mask (causal, padding keys excluded).
 *
 * @param mask additive float32 mask of shape (batch, 1, 1, queries, keys): 0 where attention is allowed, a large
 *             negative number elsewhere (finite, so that fully masked padding rows stay NaN-free)
 */
public record Batch(NDArray ids, NDArray positions, NDArray mask, int[] lengths, int paddedLength) {

    static final float MASKED = -1e30f;

    /** Left-pads {@code sequences} to a common length (padding id 0: padded positions are masked anyway). */
    public static Batch leftPadded(NDManager m, int[][] sequences) {
        int b = sequences.length;
        int len = 0;
        for (int[] s : sequences) {
            len = Math.max(len, s.length);
        }
        long[] ids = new long[b * len];
        float[] pos = new float[b * len];
        float[] mask = new float[b * len * len];
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            int[] s = sequences[r];
            int pad = len - s.length;
            lengths[r] = s.length;
            for (int i = 0; i < s.length; i++) {
                ids[r * len + pad + i] = s[i];
                pos[r * len + pad + i] = i;
            }
            for (int q = 0; q < len; q++) {
                for (int k = 0; k < len; k++) {
                    boolean allowed = k <= q && k >= pad;
                    mask[(r * len + q) * len + k] = allowed ? 0f : MASKED;
                }
            }
        }
        return new Batch(NdTensors.owned(m.create(ids, new Shape(b, len))), NdTensors.owned(m.create(pos, new Shape(b, len))),
                NdTensors.owned(m.create(mask, new Shape(b, 1, 1, len, len))), lengths, len);
    }

    /**
     * Inputs of one decoding step after a prefill: one new token per row at position {@code positions[r]}, keys
     * are the cached ones plus this token; {@code keyValid[r][k]} says whether cached key k is a real token.
     */
    public static Batch decodeStep(NDManager m, long[] tokens, float[] positions, boolean[][] keyValid) {
        int b = tokens.length;
        int keys = keyValid[0].length + 1;
        float[] mask = new float[b * keys];
        for (int r = 0; r < b; r++) {
            for (int k = 0; k < keys - 1; k++) {
                mask[r * keys + k] = keyValid[r][k] ? 0f : MASKED;
            }
        }
        return new Batch(NdTensors.owned(m.create(tokens, new Shape(b, 1))), NdTensors.owned(m.create(positions, new Shape(b, 1))),
                NdTensors.owned(m.create(mask, new Shape(b, 1, 1, 1, keys))), null, 1);
    }
}
