package org.prefopt.backends.djl.memory;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.memory.MemoryItem;
import org.prefopt.api.memory.MemoryPhase;
import org.prefopt.api.memory.MemoryPlan;
import org.prefopt.api.memory.MemoryPlanner;
import org.prefopt.api.memory.MemoryWorkload;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.policy.PolicySettings;

/**
 * The memory plan of a DJL policy: what {@code Decoder}, {@code SequenceScorer}, {@code TrunkPass}, {@code Generator},
 * {@code KvCache}, {@code PolicyWeights} and {@code AdamW} allocate for a workload, counted from the model's shape.
 * Weights, the KV cache and the matrix products' outputs are counted at the backend's dtype; AdamW's moments, LoRA
 * adapters, RMSNorm and softmax internals and the logits at 4 bytes (float16 training computes those in float32).
 * Under float16 full fine-tuning the trained weights also have float32 master copies and their gradients are float16,
 * so a trained parameter costs 2 + 4 + 2 + 8 bytes, as in float32 (4 + 4 + 8).
 *
 * <p>What a training micro-batch of {@code N = rows x tokens} positions holds per decoder layer
 * ({@link #layerActivations}): DJL frees an array when its manager closes, and a training step's forward pass runs in
 * one manager until its backward pass is done, so every array {@code Decoder.layer} creates stays alive, not only
 * those autograd saves. Counted from {@code Decoder.layer} in elements, with {@code a} the backend dtype's bytes:
 * hidden-size arrays: each RMSNorm's float32 square and quotient (and, under float16, its float32 input and the
 * cast-down output) and weighted output, the o_proj and down_proj outputs and the two residual sums (40 bytes
 * x N h either way: 2 x 3 x 4 + 4 x 4 in float32, 2 x (3 x 4 + 2 x 2) + 4 x 2 in float16); query-size: the q
 * projection, RoPE's negated half, concatenation and three products and sum (3.5), the copies torch's batched
 * matmul makes of q, of k and v broadcast over the query groups, the attention output and its re-laid copy for
 * o_proj (9.5 a N q); key/value-size: the k and v projections and k's RoPE (5.5 a N kv); the attention scores,
 * scaled scores and probabilities in float32 (12 bytes x rows x heads x tokens^2; under float16 also the float16
 * product and the cast-down probabilities: 16 bytes); the SwiGLU MLP: gate, up, sigmoid(gate), gate x sigmoid,
 * their product (5 a N intermediate); LoRA, per adapted projection, in float32: {@code x A} (N r), {@code x A B},
 * its scaled copy and the sum with the base projection (3 N out; under float16 the input's float32 copy, N in)
 * and, with dropout, the dropped input (N in floats) and its mask (N in bytes). Gradient checkpointing runs each
 * layer in its own manager, so it holds the layer inputs and one layer's arrays.
 */
public final class PolicyMemory {

    /** {@code policy { type = hf }}. */
    public static final MemoryPlanner HF = (options, w) -> plan(PlannedShape.hf(options), settings(options), w);

    /** {@code policy { type = tiny }}. */
    public static final MemoryPlanner TINY = (options, w) -> plan(PlannedShape.tiny(options), settings(options), w);

    static final long F32 = 4;

    /** Temporaries of one output-layer chunk in the backward pass: logits, log-softmax, probabilities, one-hot, dz. */
    static final int HEAD_BACKWARD_COPIES = 6;

    private PolicyMemory() {
    }

    /** The policy's settings as the policy reads them; a saved adapter's rank and targets win, as when it loads. */
    private static PolicySettings settings(Config options) {
        PolicySettings s = PolicySettings.from(options);
        if (s.loraAdapter() == null) {
            return s;
        }
        LoraSettings saved = LoraAdapters.readPeftSettings(s.loraAdapter());
        return new PolicySettings(s.optimizer(), new LoraSettings(saved.rank(), saved.alpha(), s.lora().dropout(),
                saved.targetModules()), s.loraAdapter(), s.seed(), s.logitsChunkTokens(), s.gradientCheckpointing(),
                s.referenceCopy());
    }

    static MemoryPlan plan(PlannedShape shape, PolicySettings s, MemoryWorkload w) {
        ModelConfig c = shape.config();
        long bytes = dtypeBytes(w.dtype());
        long params = c.parameterCount();
        LoraSettings lora = s.lora();
        long loraParams = lora == null ? 0 : loraParameters(c, lora);
        long trained = lora == null ? params : loraParams;
        List<MemoryItem> items = new ArrayList<>();
        String shapeNote = String.format("%,d parameters: %d layers, hidden %d, MLP %d, %d/%d heads x %d, vocab %d",
                params, c.numLayers(), c.hiddenSize(), c.intermediateSize(), c.numHeads(), c.numKvHeads(), c.headDim(),
                c.vocabSize());
        items.add(resident("weights (" + w.dtype() + ")", params * bytes, shapeNote));
        if (lora != null) {
            items.add(resident("LoRA adapters (float32)", loraParams * F32, String.format(
                    "%,d parameters: rank %d on %s in %d layers", loraParams, lora.rank(), lora.targetModules(),
                    c.numLayers())));
        }
        boolean halfMasters = lora == null && bytes < F32;
        if (halfMasters) {
            items.add(resident("float32 master weights", params * F32,
                    "float16 full fine-tuning: AdamW updates float32 masters, the working copy is rounded from them"));
        }
        long gradientBytes = halfMasters ? bytes : F32;
        items.add(resident("gradients (" + (halfMasters ? w.dtype() : "float32") + ")", trained * gradientBytes,
                String.format("%,d trained parameters (%s)", trained, lora == null ? "full fine-tuning" : "LoRA")));
        items.add(resident("AdamW moments (float32)", 2 * trained * F32, "m and v of every trained parameter"));
        if (lora == null && s.referenceCopy()) {
            items.add(resident("reference copy", params * bytes,
                    "reference-copy = true: the initial weights, frozen before the first update"));
        } else {
            items.add(resident("reference copy", 0, lora != null ? "none: the reference is the base without adapters"
                    : "none: reference-copy = false"));
        }
        if (w.onCpu() && shape.checkpointBytes() > 0) {
            // ModelWeights.load maps each tensor of the file and copies it into a direct buffer for libtorch; both
            // are released only when the JVM collects them, which it may not do before the load ends
            items.add(new MemoryItem("checkpoint loading buffers", 2 * shape.checkpointBytes(), MemoryPhase.LOADING,
                    String.format("2 x the %,d bytes of safetensors: mapped file pages and direct-buffer copies"
                            + " until the JVM collects them", shape.checkpointBytes())));
        }
        boolean onnx = w.engine().equals("onnxruntime");
        long engineBytes = onnx ? dtypeBytes(w.engineDtype()) : bytes;
        if (onnx) {
            // every engine.sync mode holds the exported weights (merged, or the base with LoRA inputs) twice while it
            // opens a session: the serialised graph and the session's copy
            items.add(resident("ONNX Runtime engine", 2 * params * engineBytes, "the " + w.engineDtype()
                    + " weights exported in memory, and the session's own copy of them"));
        }
        addGeneration(items, c, w, engineBytes, onnx);
        if (w.trainingRows() > 0) {
            addTraining(items, c, s, w, bytes);
        }
        return new MemoryPlan(shape.source(), items);
    }

    private static void addGeneration(List<MemoryItem> items, ModelConfig c, MemoryWorkload w, long bytes,
                                      boolean onnx) {
        if (w.generationRows() == 0) {
            return;
        }
        long positions = (long) w.promptTokens() + w.newTokens() - 1;
        long kv = (long) w.generationRows() * positions * c.numLayers() * 2 * c.numKvHeads() * c.headDim() * bytes;
        items.add(new MemoryItem("KV cache" + (onnx ? " (ONNX Runtime, " + w.engineDtype() + ")" : ""), kv,
                MemoryPhase.GENERATION,
                String.format("%d rows x %d positions x %d layers x 2 x %d kv heads x %d x %d bytes",
                        w.generationRows(), positions, c.numLayers(), c.numKvHeads(), c.headDim(), bytes)));
        // prefill: each distinct prompt once, one layer's arrays at a time (Decoder.forwardReleasing); decoding: a
        // step's float32 logits and what sampling makes of them (log-softmax, probabilities)
        long prefill = layerActivations(c, null, w.generationPrompts(), w.promptTokens(), bytes);
        long decoding = 3L * w.generationRows() * c.vocabSize() * F32;
        items.add(new MemoryItem("generation working set", Math.max(prefill, decoding), MemoryPhase.GENERATION,
                String.format("the larger of the prefill of %d prompts x %d tokens (one layer at a time) and a"
                        + " decoding step's logits (%d rows x vocab, 3 copies)", w.generationPrompts(),
                        w.promptTokens(), w.generationRows())));
    }

    private static void addTraining(List<MemoryItem> items, ModelConfig c, PolicySettings s, MemoryWorkload w,
                                    long bytes) {
        int rows = w.trainingRows();
        int tokens = w.trainingSequenceTokens();
        long positions = (long) rows * tokens;
        long layer = layerActivations(c, s.lora(), rows, tokens, bytes);
        if (s.gradientCheckpointing()) {
            long inputs = (c.numLayers() + 1L) * positions * c.hiddenSize() * bytes;
            items.add(training("activations (gradient checkpointing)", inputs + layer, String.format(
                    "%d layer inputs of %d rows x %d tokens x hidden, plus one layer re-run with its graph",
                    c.numLayers() + 1, rows, tokens)));
        } else {
            items.add(training("activations (all layers kept)", c.numLayers() * layer, String.format(
                    "%d layers x %,d bytes for %d rows x %d tokens (gradient-checkpointing = false)", c.numLayers(),
                    layer, rows, tokens)));
        }
        items.add(training("backward working set", layer, "gradients of one layer's activations"));
        long completion = (long) rows * w.trainingCompletionTokens();
        if (s.logitsChunkTokens() > 0) {
            long width = Math.max(1, Math.min(w.trainingCompletionTokens(), s.logitsChunkTokens() / Math.max(1, rows)));
            long chunk = rows * width;
            items.add(training("logits (chunked, float32)", HEAD_BACKWARD_COPIES * chunk * c.vocabSize() * F32
                    + completion * c.hiddenSize() * F32, String.format("chunks of %d positions x vocab %d,"
                    + " recomputed in the backward pass (%d copies)", chunk, c.vocabSize(), HEAD_BACKWARD_COPIES)));
        } else {
            items.add(training("logits (full, float32)", (HEAD_BACKWARD_COPIES - 1) * completion * c.vocabSize() * F32
                    + completion * c.hiddenSize() * F32, String.format("%d rows x %d completion tokens x vocab %d:"
                    + " the kept log-softmax and 4 backward temporaries (logits-chunk-tokens = 0)", rows,
                    w.trainingCompletionTokens(), c.vocabSize())));
        }
        if (s.lora() == null) {
            items.add(training("output-layer gradient buffers", 2L * c.vocabSize() * c.hiddenSize() * F32,
                    "full fine-tuning: the output layer's gradient, accumulated over chunks, and one chunk's part"));
        }
    }

    /**
     * Bytes one decoder layer holds for {@code rows x tokens} positions (the tensors the class comment lists) when its
     * matrix products run in a dtype of {@code bytes} bytes (4: float32, 2: float16).
     */
    static long layerActivations(ModelConfig c, LoraSettings lora, long rows, long tokens, long bytes) {
        long n = rows * tokens;
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        long half = bytes < F32 ? 1 : 0;
        long scores = (3 * F32 + half * 2 * bytes) * rows * c.numHeads() * tokens * tokens;
        long total = 10 * F32 * n * h + (19 * n * q + 11 * n * kv) * bytes / 2 + scores + 5 * n * inter * bytes;
        if (lora != null) {
            for (String module : lora.targetModules()) {
                long in = inputSize(c, module);
                total += (n * lora.rank() + 3 * n * outputSize(c, module) + half * n * in) * F32;
                if (lora.dropout() > 0) {
                    total += n * in * F32 + n * in; // the dropped input, and its mask at one byte per element
                }
            }
        }
        return total;
    }

    /** LoRA parameters: rank x (in + out) per adapted projection and layer. */
    static long loraParameters(ModelConfig c, LoraSettings lora) {
        long perLayer = 0;
        for (String module : lora.targetModules()) {
            perLayer += (long) lora.rank() * (inputSize(c, module) + outputSize(c, module));
        }
        return perLayer * c.numLayers();
    }

    private static long inputSize(ModelConfig c, String module) {
        return switch (module) {
            case "o_proj" -> (long) c.numHeads() * c.headDim();
            case "down_proj" -> c.intermediateSize();
            default -> c.hiddenSize();
        };
    }

    private static long outputSize(ModelConfig c, String module) {
        return switch (module) {
            case "q_proj" -> (long) c.numHeads() * c.headDim();
            case "k_proj", "v_proj" -> (long) c.numKvHeads() * c.headDim();
            case "gate_proj", "up_proj" -> c.intermediateSize();
            default -> c.hiddenSize();
        };
    }

    static long dtypeBytes(String dtype) {
        return switch (dtype) {
            case "float16", "bfloat16" -> 2;
            default -> 4;
        };
    }

    private static MemoryItem resident(String component, long bytes, String note) {
        return new MemoryItem(component, bytes, MemoryPhase.RESIDENT, note);
    }

    private static MemoryItem training(String component, long bytes, String note) {
        return new MemoryItem(component, bytes, MemoryPhase.TRAINING, note);
    }
}
