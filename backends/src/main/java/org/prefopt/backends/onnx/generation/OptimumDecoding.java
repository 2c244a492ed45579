package org.prefopt.backends.onnx.generation;

import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.backends.onnx.runtime.KvState;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * Decoding with Optimum's cache layout: prompts left-padded, each row's visible keys in {@code attention_mask}, the
 * cache returned one position longer by every step.
 */
final class OptimumDecoding implements Decoding {

    private final OnnxDecoderSession session;
    private KvState cache;
    private long[] promptMask;
    private int promptLength;
    private int[] promptLengths;
    private long[][] keyMask;
    private long[] position;

    OptimumDecoding(OnnxDecoderSession session) {
        this.session = session;
    }

    @Override
    public float[] prefill(List<GenerationRequest> requests) {
        int len = requests.stream().mapToInt(r -> r.promptTokens().length).max().orElseThrow();
        int prompts = requests.size();
        long[] ids = new long[prompts * len];
        long[] mask = new long[prompts * len];
        long[] pos = new long[prompts * len];
        promptLengths = new int[prompts];
        for (int i = 0; i < prompts; i++) {
            int[] p = requests.get(i).promptTokens();
            int pad = len - p.length;
            promptLengths[i] = p.length;
            for (int k = 0; k < p.length; k++) {
                ids[i * len + pad + k] = p[k];
                mask[i * len + pad + k] = 1;
                pos[i * len + pad + k] = k;
            }
        }
        promptMask = mask;
        promptLength = len;
        OnnxDecoderSession.StepOutput out = session.step(ids, mask, pos, prompts, len, session.emptyCache(prompts));
        cache = out.cache();
        return out.logits();
    }

    @Override
    public void expand(int[] promptRow) {
        keyMask = new long[promptRow.length][];
        position = new long[promptRow.length];
        for (int q = 0; q < promptRow.length; q++) {
            int i = promptRow[q];
            keyMask[q] = Arrays.copyOfRange(promptMask, i * promptLength, (i + 1) * promptLength);
            position[q] = promptLengths[i];
        }
        replace(cache.select(promptRow));
    }

    @Override
    public void keep(int[] keep) {
        replace(cache.select(keep));
        keyMask = Arrays.stream(keep).mapToObj(k -> keyMask[k]).toArray(long[][]::new);
        position = Arrays.stream(keep).mapToLong(k -> position[k]).toArray();
    }

    private void replace(KvState next) {
        cache.close();
        cache = next;
    }

    @Override
    public float[] step(long[] next) {
        int rows = next.length;
        int total = keyMask[0].length + 1;
        long[] stepMask = new long[rows * total];
        for (int r = 0; r < rows; r++) {
            keyMask[r] = Arrays.copyOf(keyMask[r], total);
            keyMask[r][total - 1] = 1;
            System.arraycopy(keyMask[r], 0, stepMask, r * total, total);
        }
        KvState past = cache;
        cache = null; // the step closes the past cache, whatever happens
        OnnxDecoderSession.StepOutput out = session.step(next, stepMask, position, rows, 1, past);
        cache = out.cache();
        for (int r = 0; r < rows; r++) {
            position[r]++;
        }
        return out.logits();
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
