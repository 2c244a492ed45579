package org.prefopt.backends.onnx.generation;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.backends.djl.generation.TokenSampler;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.generation.CompletionBook;
import org.prefopt.backends.onnx.runtime.KvState;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * Batched sampling with ONNX Runtime, with the policy engine's semantics: each distinct prompt is prefilled once
 * and its cache rows are repeated for its completions; tokens are picked by the project's one {@link TokenSampler}
 * (seeded the same way, so greedy and seeded sampling give the policy engine's tokens when the logits agree); stop
 * tokens and strings through {@link CompletionBook}; finished rows leave the batch once a quarter of it has finished.
 */
public final class OnnxGenerator {

    private final OnnxDecoderSession session;
    private final NDManager root;

    /** @param root the DJL manager the sampler computes under (sampling runs on the policy's engine) */
    public OnnxGenerator(OnnxDecoderSession session, NDManager root) {
        this.session = session;
        this.root = root;
    }

    public List<CompletionGroup> generate(TextTokenizer tokenizer, List<GenerationRequest> requests,
                                          SamplingParams params) {
        if (requests.isEmpty()) {
            return List.of();
        }
        CompletionBook book = new CompletionBook(requests, tokenizer, params);
        JniUtils.setGradMode(false);
        JniUtils.setSeed(params.seed());
        int vocab = session.vocab();
        // prefill: one row per request (its prompt, left-padded)
        int len = requests.stream().mapToInt(r -> r.promptTokens().length).max().orElseThrow();
        int prompts = requests.size();
        long[] ids = new long[prompts * len];
        long[] mask = new long[prompts * len];
        long[] pos = new long[prompts * len];
        for (int i = 0; i < prompts; i++) {
            int[] p = requests.get(i).promptTokens();
            int pad = len - p.length;
            for (int k = 0; k < p.length; k++) {
                ids[i * len + pad + k] = p[k];
                mask[i * len + pad + k] = 1;
                pos[i * len + pad + k] = k;
            }
        }
        OnnxDecoderSession.StepOutput pre = session.step(ids, mask, pos, prompts, len, session.emptyCache(prompts));
        int rows = book.size();
        int[] seqOf = new int[rows];
        int[] promptRow = new int[rows];
        long[][] keyMask = new long[rows][];
        long[] position = new long[rows];
        float[] logits = new float[rows * vocab];
        for (int q = 0; q < rows; q++) {
            int i = book.promptOf(q);
            seqOf[q] = q;
            promptRow[q] = i;
            keyMask[q] = Arrays.copyOfRange(mask, i * len, (i + 1) * len);
            position[q] = requests.get(i).promptTokens().length;
            System.arraycopy(pre.logits(), i * vocab, logits, q * vocab, vocab);
        }
        KvState cache;
        try (KvState prefilled = pre.cache()) {
            cache = prefilled.select(promptRow);
        }
        TokenSampler sampler = new TokenSampler(params);
        try {
            for (int step = 0; step < params.maxNewTokens(); step++) {
                long[] next;
                float[] lp;
                try (NDManager s = root.newSubManager()) {
                    NDList out = sampler.sample(NdTensors.owned(s.create(logits, new Shape(rows, vocab))));
                    next = out.get(0).toLongArray();
                    lp = out.get(1).toFloatArray();
                }
                int active = 0;
                for (int r = 0; r < rows; r++) {
                    if (!book.finished(seqOf[r]) && book.append(seqOf[r], (int) next[r], lp[r])) {
                        active++;
                    }
                }
                if (active == 0 || step == params.maxNewTokens() - 1) {
                    break;
                }
                if (rows - active >= Math.max(1, rows / 4)) {
                    int[] keep = new int[active];
                    for (int r = 0, k = 0; r < rows; r++) {
                        if (!book.finished(seqOf[r])) {
                            keep[k++] = r;
                        }
                    }
                    KvState kept = cache.select(keep);
                    cache.close();
                    cache = kept;
                    seqOf = pick(seqOf, keep);
                    keyMask = pick(keyMask, keep);
                    position = pick(position, keep);
                    next = pick(next, keep);
                    rows = active;
                }
                int total = keyMask[0].length + 1;
                long[] stepMask = new long[rows * total];
                for (int r = 0; r < rows; r++) {
                    keyMask[r] = Arrays.copyOf(keyMask[r], total);
                    keyMask[r][total - 1] = 1;
                    System.arraycopy(keyMask[r], 0, stepMask, r * total, total);
                }
                OnnxDecoderSession.StepOutput out = session.step(next, stepMask, position, rows, 1, cache);
                cache = out.cache();
                logits = out.logits();
                for (int r = 0; r < rows; r++) {
                    position[r]++;
                }
            }
        } finally {
            cache.close();
        }
        return book.groups();
    }

    private static int[] pick(int[] a, int[] keep) {
        return Arrays.stream(keep).map(k -> a[k]).toArray();
    }

    private static long[] pick(long[] a, int[] keep) {
        return Arrays.stream(keep).mapToLong(k -> a[k]).toArray();
    }

    private static long[][] pick(long[][] a, int[] keep) {
        return Arrays.stream(keep).mapToObj(k -> a[k]).toArray(long[][]::new);
    }
}
