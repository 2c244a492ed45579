package org.prefopt.backends.onnx.generation;

import java.util.List;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.backends.onnx.runtime.InPlaceCache;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * Decoding with an in-place cache: prompts right-padded (a row's keys are its first {@code length} positions, which is
 * what GroupQueryAttention attends to), each step's key and value written into the row's buffer at its length.
 */
final class InPlaceDecoding implements Decoding {

    private final OnnxDecoderSession session;
    /** Positions a row can hold: the longest prompt plus the new tokens. */
    private final int capacity;
    private InPlaceCache cache;
    private int[] promptLengths;
    /** Each row's cached positions. */
    private int[] length;

    InPlaceDecoding(OnnxDecoderSession session, int capacity) {
        this.session = session;
        this.capacity = capacity;
    }

    @Override
    public float[] prefill(List<GenerationRequest> requests) {
        int len = requests.stream().mapToInt(r -> r.promptTokens().length).max().orElseThrow();
        int prompts = requests.size();
        long[] ids = new long[prompts * len];
        long[] pos = new long[prompts * len];
        promptLengths = new int[prompts];
        int[] last = new int[prompts];
        for (int i = 0; i < prompts; i++) {
            int[] p = requests.get(i).promptTokens();
            promptLengths[i] = p.length;
            last[i] = p.length - 1;
            for (int k = 0; k < len; k++) {
                // padding after the prompt; its keys land past the row's length and are overwritten by new tokens
                ids[i * len + k] = k < p.length ? p[k] : 0;
                pos[i * len + k] = k;
            }
        }
        cache = session.inPlaceCache(prompts, capacity);
        return session.stepInPlace(ids, pos, promptLengths, last, len, cache);
    }

    @Override
    public void expand(int[] promptRow) {
        replace(cache.select(promptRow));
        length = Decoding.pick(promptLengths, promptRow);
    }

    @Override
    public void keep(int[] keep) {
        replace(cache.select(keep));
        length = Decoding.pick(length, keep);
    }

    private void replace(InPlaceCache next) {
        cache.close();
        cache = next;
    }

    @Override
    public float[] step(long[] next) {
        int rows = next.length;
        long[] pos = new long[rows];
        for (int r = 0; r < rows; r++) {
            pos[r] = length[r];
            length[r]++;
        }
        return session.stepInPlace(next, pos, length, new int[rows], 1, cache);
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
