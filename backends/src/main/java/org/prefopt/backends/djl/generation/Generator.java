package org.prefopt.backends.djl.generation;

import org.prefopt.backends.djl.model.NdTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.backends.djl.model.ProjectionAdapters;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.KvCache;
import org.prefopt.backends.generation.CompletionBook;

/**
 * Batched sampling with a preallocated KV cache written in place ({@link KvCache}). Each distinct prompt is
 * prefilled once; its cache rows are then repeated for its completions. Each decoding step runs in its own
 * sub-manager, closed when the step is done, so its temporaries never outlive it. Finished rows are dropped from the batch (cache rows included) once a quarter of it has
 * finished, so long-tail completions do not pay for the finished ones.
 */
public final class Generator {

    private final Decoder decoder;
    private final NDManager root;
    /** Arrays created per decoding step by the last call (NaN: none yet, or not countable). */
    private volatile double lastOpsPerStep = Double.NaN;

    public Generator(Decoder decoder, NDManager root) {
        this.decoder = decoder;
        this.root = root;
    }

    public List<CompletionGroup> generate(Map<String, NDArray> w, ProjectionAdapters lora, TextTokenizer tokenizer,
                                          List<GenerationRequest> requests, SamplingParams params) {
        if (requests.isEmpty()) {
            return List.of();
        }
        JniUtils.setGradMode(false);
        JniUtils.setSeed(params.seed());
        Set<Integer> eos = tokenizer.eosTokenIds();
        int[][] prompts = new int[requests.size()][];
        int total = 0;
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = requests.get(i).promptTokens();
            if (prompts[i].length == 0) {
                throw new IllegalArgumentException("request '" + requests.get(i).id() + "' has an empty prompt; "
                        + "at least one token is needed to condition generation");
            }
            total += requests.get(i).numCompletions();
        }
        int[][] tokens = new int[total][params.maxNewTokens()];
        float[][] logprobs = new float[total][params.maxNewTokens()];
        int[] lengths = new int[total];
        StopReason[] reasons = new StopReason[total];
        long[] rowPrompt = new long[total];
        int[] rowSeq = new int[total];
        for (int i = 0, r = 0; i < prompts.length; i++) {
            for (int j = 0; j < requests.get(i).numCompletions(); j++, r++) {
                rowPrompt[r] = i;
                rowSeq[r] = r;
            }
        }
        int padded = 0;
        for (int[] p : prompts) {
            padded = Math.max(padded, p.length);
        }
        // the last sampled token is never fed back, so the cache needs maxNewTokens - 1 positions after the prompts
        int capacity = padded + params.maxNewTokens() - 1;
        try (NDManager m = root.newSubManager(); KvCache cache = new KvCache(m, decoder.config().numLayers(), capacity)) {
            NDArray logits;
            NDArray keyMask;
            float[] positions = new float[total];
            try (NDManager s = m.newSubManager()) {
                Batch pre = Batch.leftPadded(s, prompts);
                NDArray hidden = decoder.forward(w, lora, false, pre, cache);
                NDArray last = decoder.logits(w, hidden.get(":, -1:")).squeeze(1);
                NDArray idx = NdTensors.owned(s.create(rowPrompt));
                cache.select(idx);
                logits = last.get(new NDIndex("{}", idx));
                logits.attach(m);
                int[] rowLengths = new int[total];
                for (int r = 0; r < total; r++) {
                    rowLengths[r] = prompts[(int) rowPrompt[r]].length;
                    positions[r] = rowLengths[r];
                }
                keyMask = Batch.keyMask(m, rowLengths, padded, capacity);
            }
            TokenSampler sampler = new TokenSampler(params);
            int rows = total;
            ArrayCreations created = new ArrayCreations();
            created.watch(m);
            long ops = 0;
            int steps = 0;
            for (int step = 0; step < params.maxNewTokens(); step++) {
                // every temporary of the step (sampling, the forward pass, views of the cache) is released at once
                try (NDManager s = m.newSubManager()) {
                    created.watch(s);
                    steps++;
                    logits.attach(s);
                    NDList out = sampler.sample(logits);
                    long[] next = out.get(0).toLongArray();
                    float[] lp = out.get(1).toFloatArray();
                    int active = 0;
                    for (int r = 0; r < rows; r++) {
                        int q = rowSeq[r];
                        if (reasons[q] != null) {
                            continue;
                        }
                        tokens[q][lengths[q]] = (int) next[r];
                        logprobs[q][lengths[q]] = lp[r];
                        lengths[q]++;
                        if (eos.contains((int) next[r])) {
                            reasons[q] = StopReason.EOS;
                        } else if (!params.stopStrings().isEmpty() && hitsStop(tokenizer,
                                Arrays.copyOf(tokens[q], lengths[q]), params.stopStrings())) {
                            reasons[q] = StopReason.STOP_STRING;
                        } else {
                            active++;
                        }
                    }
                    if (active == 0 || step == params.maxNewTokens() - 1) {
                        ops = countOps(ops, created);
                        break;
                    }
                    if (rows - active >= Math.max(1, rows / 4)) {
                        long[] keep = new long[active];
                        int[] newSeq = new int[active];
                        float[] newPos = new float[active];
                        long[] newNext = new long[active];
                        for (int r = 0, k = 0; r < rows; r++) {
                            if (reasons[rowSeq[r]] == null) {
                                keep[k] = r;
                                newSeq[k] = rowSeq[r];
                                newPos[k] = positions[r];
                                newNext[k] = next[r];
                                k++;
                            }
                        }
                        NDArray keepRows = NdTensors.owned(s.create(keep));
                        cache.select(keepRows);
                        NDArray keptMask = keyMask.get(new NDIndex("{}", keepRows));
                        keptMask.attach(m);
                        keyMask.close();
                        keyMask = keptMask;
                        rowSeq = newSeq;
                        positions = newPos;
                        next = newNext;
                        rows = active;
                    }
                    Batch st = Batch.decodeStep(s, next, positions, keyMask, cache.length() + 1);
                    NDArray hidden = decoder.forward(w, lora, false, st, cache);
                    logits = decoder.logits(w, hidden).squeeze(1);
                    logits.attach(m);
                    for (int r = 0; r < rows; r++) {
                        positions[r] += 1;
                    }
                    ops = countOps(ops, created);
                }
            }
            lastOpsPerStep = ops < 0 ? Double.NaN : (double) ops / steps;
        }
        List<CompletionGroup> groups = new ArrayList<>();
        for (int i = 0, r = 0; i < requests.size(); i++) {
            List<Completion> completions = new ArrayList<>();
            for (int j = 0; j < requests.get(i).numCompletions(); j++, r++) {
                int[] t = Arrays.copyOf(tokens[r], lengths[r]);
                completions.add(new Completion(t, tokenizer.decode(t, true), Arrays.copyOf(logprobs[r], lengths[r]),
                        reasons[r] == null ? StopReason.LENGTH : reasons[r]));
            }
            groups.add(new CompletionGroup(requests.get(i).id(), requests.get(i).promptTokens(), completions));
        }
        return groups;
    }

    /** Adds a step's count to the running total; -1 once any step could not be counted. */
    private static long countOps(long total, ArrayCreations created) {
        long step = created.takeCount();
        return total < 0 || step < 0 ? -1 : total + step;
    }

    /** Engine arrays created per decoding step (one token for every row) by the last call; empty before any. */
    public OptionalDouble lastOpsPerDecodingStep() {
        double v = lastOpsPerStep;
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static boolean hitsStop(TextTokenizer tokenizer, int[] tokens, List<String> stops) {
        return CompletionBook.hitsStop(tokenizer, tokens, stops); // the one stop-string rule, shared with ONNX Runtime
    }
}
