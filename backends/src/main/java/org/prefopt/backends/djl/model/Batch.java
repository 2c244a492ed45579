package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
        if ((long) b * len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + b + " sequences of up to " + len + " tokens is too"
                    + " large to build; use smaller batches or shorter sequences");
        }
        long[] ids = new long[b * len];
        float[] pos = new float[b * len];
        long[] pads = new long[b];
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            int[] s = sequences[r];
            int pad = len - s.length;
            pads[r] = pad;
            lengths[r] = s.length;
            for (int i = 0; i < s.length; i++) {
                ids[r * len + pad + i] = s[i];
                pos[r * len + pad + i] = i;
            }
        }
        return new Batch(NdTensors.owned(m.create(ids, new Shape(b, len))), NdTensors.owned(m.create(pos, new Shape(b, len))),
                mask(m, pads, len), lengths, len);
    }

    /**
     * The (batch, 1, 1, len, len) additive mask, built by the engine (a (batch x len x len) Java array overflowed and
     * filled the heap for long prompts): 0 where key k may be seen from query q (k <= q, and k is not padding of the
     * row), {@link #MASKED} elsewhere. The temporaries belong to {@code m}.
     */
    private static NDArray mask(NDManager m, long[] pads, int len) {
        int b = pads.length;
        NDArray keys = m.arange(0, len, 1, DataType.INT64);
        NDArray causal = keys.reshape(1, 1, len).lte(keys.reshape(1, len, 1));
        NDArray real = keys.reshape(1, 1, len).gte(NdTensors.owned(m.create(pads, new Shape(b, 1, 1))));
        NDArray allowed = causal.logicalAnd(real);
        Shape shape = new Shape(b, len, len);
        return NDArrays.where(allowed, m.zeros(shape, DataType.FLOAT32), m.full(shape, MASKED))
                .reshape(b, 1, 1, len, len);
    }

    /**
     * The additive key mask of decoding steps over a {@link KvCache} of {@code capacity} positions whose first
     * {@code paddedLength} hold left-padded prompts: shape (rows, 1, 1, 1, capacity), {@link #MASKED} on row r's
     * padding (the first {@code paddedLength - promptLengths[r]} positions), 0 on its prompt and on every position a
     * generated token will fill. Built once per generation; each step attends over its filled prefix.
     */
    public static NDArray keyMask(NDManager m, int[] promptLengths, int paddedLength, int capacity) {
        int b = promptLengths.length;
        float[] mask = new float[b * capacity];
        for (int r = 0; r < b; r++) {
            java.util.Arrays.fill(mask, r * capacity, r * capacity + paddedLength - promptLengths[r], MASKED);
        }
        return NdTensors.owned(m.create(mask, new Shape(b, 1, 1, 1, capacity)));
    }

    /**
     * Inputs of one decoding step after a prefill: one new token per row at position {@code positions[r]}; the keys
     * are the {@code keys} first positions of the cache (the new token's included), masked by the first
     * {@code keys} entries of {@code keyMask} (see {@link #keyMask}). Arrays made here belong to {@code m}.
     */
    public static Batch decodeStep(NDManager m, long[] tokens, float[] positions, NDArray keyMask, long keys) {
        int b = tokens.length;
        NDArray mask = keyMask.get(":, :, :, :, :" + keys);
        mask.attach(m);
        return new Batch(NdTensors.owned(m.create(tokens, new Shape(b, 1))),
                NdTensors.owned(m.create(positions, new Shape(b, 1))), mask, null, 1);
    }
}
