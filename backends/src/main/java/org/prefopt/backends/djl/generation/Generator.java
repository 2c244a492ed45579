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
 * Batched sampling with a KV cache. Each distinct prompt is prefilled once; its cache rows are then repeated
 * for its completions. Finished rows are dropped from the batch (cache rows included) once a quarter of it has
 * finished, so long-tail completions do not pay for the finished ones.
 */
public final class Generator {

    private final Decoder decoder;
    private final NDManager root;

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
        try (NDManager m = root.newSubManager(); KvCache cache = new KvCache(m, decoder.config().numLayers())) {
            NDArray logits;
            boolean[][] keyValid;
            float[] positions = new float[total];
            try (NDManager s = m.newSubManager()) {
                Batch pre = Batch.leftPadded(s, prompts);
                NDArray hidden = decoder.forward(w, lora, false, pre, cache);
                NDArray last = decoder.logits(w, hidden.get(":, -1:")).squeeze(1);
                NDArray idx = NdTensors.owned(s.create(rowPrompt));
                cache.select(idx);
                logits = last.get(new NDIndex("{}", idx));
                logits.attach(m);
                keyValid = new boolean[total][pre.paddedLength()];
                for (int r = 0; r < total; r++) {
                    int len = prompts[(int) rowPrompt[r]].length;
                    Arrays.fill(keyValid[r], pre.paddedLength() - len, pre.paddedLength(), true);
                    positions[r] = len;
                }
            }
            TokenSampler sampler = new TokenSampler(params);
            int rows = total;
            for (int step = 0; step < params.maxNewTokens(); step++) {
                try (NDManager s = m.newSubManager()) {
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
                        break;
                    }
                    if (rows - active >= Math.max(1, rows / 4)) {
                        long[] keep = new long[active];
                        int[] newSeq = new int[active];
                        boolean[][] newValid = new boolean[active][];
                        float[] newPos = new float[active];
                        long[] newNext = new long[active];
                        for (int r = 0, k = 0; r < rows; r++) {
                            if (reasons[rowSeq[r]] == null) {
                                keep[k] = r;
                                newSeq[k] = rowSeq[r];
                                newValid[k] = keyValid[r];
                                newPos[k] = positions[r];
                                newNext[k] = next[r];
                                k++;
                            }
                        }
                        cache.select(NdTensors.owned(s.create(keep)));
                        rowSeq = newSeq;
                        keyValid = newValid;
                        positions = newPos;
                        next = newNext;
                        rows = active;
                    }
                    Batch st = Batch.decodeStep(s, next, positions, keyValid);
                    NDArray hidden = decoder.forward(w, lora, false, st, cache);
                    logits = decoder.logits(w, hidden).squeeze(1);
                    logits.attach(m);
                    for (int r = 0; r < rows; r++) {
                        boolean[] grown = Arrays.copyOf(keyValid[r], keyValid[r].length + 1);
                        grown[grown.length - 1] = true;
                        keyValid[r] = grown;
                        positions[r] += 1;
                    }
                }
            }
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

    private static boolean hitsStop(TextTokenizer tokenizer, int[] tokens, List<String> stops) {
        return CompletionBook.hitsStop(tokenizer, tokens, stops); // the one stop-string rule, shared with ONNX Runtime
    }
}
