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
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * Batched sampling with ONNX Runtime, with the policy engine's semantics: each distinct prompt is prefilled once
 * and its cache rows are repeated for its completions; tokens are picked by the project's one {@link TokenSampler}
 * (seeded the same way, so greedy and seeded sampling give the policy engine's tokens when the logits agree); stop
 * tokens and strings through {@link CompletionBook}; finished rows leave the batch once a quarter of it has finished.
 * The cache is Optimum's (a longer copy each step) or, for graphs that keep it in place, fixed buffers written where
 * each row ends ({@link Decoding}).
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
        int longestPrompt = requests.stream().mapToInt(r -> r.promptTokens().length).max().orElseThrow();
        // the last sampled token is never fed back: maxNewTokens - 1 positions after the prompts (the memory plan's)
        try (Decoding decoding = session.hasInPlaceCache()
                ? new InPlaceDecoding(session, longestPrompt + params.maxNewTokens() - 1)
                : new OptimumDecoding(session)) {
            // prefill: one row per request, then each completion's row a copy of its prompt's
            float[] prefilled = decoding.prefill(requests);
            int rows = book.size();
            int[] seqOf = new int[rows];
            int[] promptRow = new int[rows];
            float[] logits = new float[rows * vocab];
            for (int q = 0; q < rows; q++) {
                seqOf[q] = q;
                promptRow[q] = book.promptOf(q);
                System.arraycopy(prefilled, promptRow[q] * vocab, logits, q * vocab, vocab);
            }
            decoding.expand(promptRow);
            TokenSampler sampler = new TokenSampler(params);
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
                    decoding.keep(keep);
                    seqOf = Decoding.pick(seqOf, keep);
                    long[] sampled = next;
                    next = Arrays.stream(keep).mapToLong(k -> sampled[k]).toArray();
                    rows = active;
                }
                logits = decoding.step(next);
            }
        }
        return book.groups();
    }
}
