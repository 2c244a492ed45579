package org.prefopt.backends.onnx.export;

import static org.prefopt.backends.onnx.export.GraphBuilder.attr;
import static org.prefopt.backends.onnx.export.GraphBuilder.attrInts;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.ModelWeights;
import org.prefopt.backends.onnx.OnnxNames;
import org.prefopt.backends.safetensors.TensorData;
import org.prefopt.backends.safetensors.TensorDType;

/**
 * The Llama/Qwen2 decoder with a KV cache as an ONNX graph, op for op the computation of the policy's
 * {@link Decoder} (RMSNorm, rotary embeddings with the same inverse frequencies, grouped-query attention with an
 * additive mask of -1e30, SwiGLU MLP), with Optimum's {@code text-generation-with-past} inputs and outputs (see
 * {@link OnnxNames}). Weights keep their Hugging Face names and orientation ({@code [out, in]}; linear layers are
 * {@code Gemm} with {@code transB}), so a tool can find and replace any of them by name.
 */
final class DecoderGraph {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    /** The operator set of ONNX Runtime's contrib ops (GroupQueryAttention). */
    static final String MICROSOFT = "com.microsoft";
    private static final int FLOAT16 = TensorProto.DataType.FLOAT16_VALUE;
    /** The additive mask of a hidden key: finite, as the policy's, so fully masked padding rows stay NaN-free. */
    private static final float MASKED = -1e30f;

    private final ModelConfig cfg;
    private final Map<String, TensorData> weights;
    private final Set<String> expected;
    private final Set<String> added = new HashSet<>();
    private final GraphBuilder g;
    private final boolean weightsAsInputs;
    private final LoraInputs lora;
    private final CacheLayout layout;
    /** FLOAT or FLOAT16: the type of the stored weights, the caches and the logits; compute is float32 either way. */
    private final int storedType;
    /** The float32 value of each weight (a float16 weight's Cast), by weight name. */
    private final Map<String, String> widened = new HashMap<>();

    private DecoderGraph(ModelConfig cfg, Map<String, TensorData> weights, GraphBuilder g, boolean weightsAsInputs,
                         LoraInputs lora, CacheLayout layout) {
        this.weightsAsInputs = weightsAsInputs;
        this.lora = lora;
        this.layout = layout;
        this.storedType = weights.get(Decoder.EMBEDDING).dtype() == TensorDType.F16 ? FLOAT16 : FLOAT;
        this.cfg = cfg;
        this.weights = weights;
        this.expected = ModelWeights.expectedShapes(cfg).keySet();
        this.g = g;
    }

    /**
     * Adds the decoder to {@code g}; {@code weights} holds every weight {@link ModelWeights#expectedShapes} names.
     *
     * @param weightsAsInputs make every weight a graph input of its name (fed at run time, so an engine can follow a
     *                        training policy without a new session) instead of an initializer
     * @param lora            adapters carried as graph inputs next to the (unmerged) base weights, or null
     * @param layout          how the graph keeps its KV cache
     */
    static void build(ModelConfig cfg, Map<String, TensorData> weights, GraphBuilder g, boolean weightsAsInputs,
                      LoraInputs lora, CacheLayout layout) {
        TensorData embedding = weights.get(Decoder.EMBEDDING);
        TensorDType dtype = embedding == null ? TensorDType.F32 : embedding.dtype();
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16) {
            throw new IllegalArgumentException("the ONNX export stores weights as float32 or float16, not " + dtype);
        }
        if (layout == CacheLayout.IN_PLACE && dtype != TensorDType.F32) {
            throw new IllegalArgumentException("the in-place KV cache (GroupQueryAttention) is built for float32"
                    + " weights; a " + dtype + " export keeps Optimum's cache layout");
        }
        if (lora != null) {
            for (String module : lora.modules()) {
                if (!ModelWeights.expectedShapes(cfg).containsKey(module + ".weight")) {
                    throw new IllegalArgumentException("LoRA adapter on '" + module + "', which is not a projection"
                            + " of this model");
                }
            }
        }
        for (var e : ModelWeights.expectedShapes(cfg).entrySet()) {
            TensorData t = weights.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("the ONNX export needs weight '" + e.getKey() + "', which the"
                        + " model does not have");
            }
            if (t.dtype() != dtype || !Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "' must be " + dtype + " of shape "
                        + Arrays.toString(e.getValue()) + " (got " + t.dtype() + " "
                        + Arrays.toString(t.shape()) + ")");
            }
        }
        new DecoderGraph(cfg, weights, g, weightsAsInputs, lora, layout).build();
    }

    private void build() {
        int layers = cfg.numLayers();
        long h = cfg.hiddenSize();
        long d = cfg.headDim();
        long nh = cfg.numHeads();
        long kvh = cfg.numKvHeads();
        boolean inPlace = layout == CacheLayout.IN_PLACE;
        g.input(OnnxNames.INPUT_IDS, INT64, "batch_size", "sequence_length");
        if (inPlace) {
            g.input(OnnxNames.SEQLENS_K, INT32, "batch_size");
            g.input(OnnxNames.TOTAL_SEQUENCE_LENGTH, INT32);
        } else {
            g.input(OnnxNames.ATTENTION_MASK, INT64, "batch_size", "total_sequence_length");
        }
        g.input(OnnxNames.POSITION_IDS, INT64, "batch_size", "sequence_length");
        String past = inPlace ? "capacity" : "past_sequence_length";
        String present = inPlace ? "capacity" : "total_sequence_length";
        for (int l = 0; l < layers; l++) {
            g.input(OnnxNames.pastKey(l), storedType, "batch_size", kvh, past, d);
            g.input(OnnxNames.pastValue(l), storedType, "batch_size", kvh, past, d);
        }
        g.output(OnnxNames.LOGITS, storedType, "batch_size", "sequence_length", (long) cfg.vocabSize());
        for (int l = 0; l < layers; l++) {
            g.output(OnnxNames.presentKey(l), storedType, "batch_size", kvh, present, d);
            g.output(OnnxNames.presentValue(l), storedType, "batch_size", kvh, present, d);
        }

        String bt = g.op("Shape", OnnxNames.INPUT_IDS);
        String mask = inPlace ? null : attentionBias();
        String[] rotary = rotary();
        String x = g.op("Reshape", g.op("Gather", weight(Decoder.EMBEDDING), OnnxNames.INPUT_IDS), g.ints(-1, h));
        String shapeQ = g.op("Concat", List.of(attr("axis", 0L)), bt, g.ints(nh, d));
        String shapeKv = g.op("Concat", List.of(attr("axis", 0L)), bt, g.ints(kvh, d));
        for (int l = 0; l < layers; l++) {
            x = layer(l, x, shapeQ, shapeKv, rotary, mask);
        }
        x = rmsNorm(x, "model.norm.weight");
        String logits = g.op("Gemm", List.of(attr("transB", 1L)), x, weight(Decoder.headName(cfg)));
        String shapeLogits = g.op("Concat", List.of(attr("axis", 0L)), bt, g.ints(cfg.vocabSize()));
        if (storedType == FLOAT) {
            g.opNamed(OnnxNames.LOGITS, "Reshape", List.of(), logits, shapeLogits);
        } else {
            narrowed(OnnxNames.LOGITS, g.op("Reshape", logits, shapeLogits));
        }
    }

    /** {@code value} (float32) as graph output {@code output}, float16. */
    private void narrowed(String output, String value) {
        g.opNamed(output, "Cast", List.of(attr("to", (long) FLOAT16)), value);
    }

    /** A float32 view of {@code name}, a value of the stored type. */
    private String widen(String name) {
        return storedType == FLOAT ? name : g.op("Cast", List.of(attr("to", (long) FLOAT)), name);
    }

    /**
     * The additive mask {@code [batch, 1, 1, seq, total]}: key k is visible from query q when k is not padding
     * ({@code attention_mask}) and k <= past + q (causal, the queries being the last {@code seq} positions).
     */
    private String attentionBias() {
        String zero = g.scalar(0L);
        String one = g.scalar(1L);
        String axis0 = g.ints(0);
        String t = g.op("Squeeze", g.op("Shape", List.of(attr("start", 1L), attr("end", 2L)), OnnxNames.INPUT_IDS),
                axis0);
        String total = g.op("Squeeze", g.op("Shape", List.of(attr("start", 1L), attr("end", 2L)),
                OnnxNames.ATTENTION_MASK), axis0);
        String past = g.op("Sub", total, t);
        String keys = g.op("Unsqueeze", g.op("Range", zero, total, one), g.ints(0));
        String queries = g.op("Unsqueeze", g.op("Range", past, total, one), g.ints(1));
        String causal = g.op("LessOrEqual", keys, queries);
        String real = g.op("Unsqueeze", g.op("Cast", List.of(attr("to", (long) TensorProto.DataType.BOOL_VALUE)),
                OnnxNames.ATTENTION_MASK), g.ints(1, 2, 3));
        String allowed = g.op("And", causal, real);
        return g.op("Where", allowed, g.scalar(0f), g.scalar(MASKED));
    }

    /**
     * cos and sin tables from the policy decoder's inverse frequencies, shaped to broadcast over the heads: {@code
     * [batch, 1, seq, head_dim]} for heads-first activations (Optimum's attention), {@code [batch, seq, 1, head_dim]}
     * for the in-place layout's sequence-first ones.
     */
    private String[] rotary() {
        int half = cfg.headDim() / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            // the same float32 values as Decoder's (1 / theta^(2i/d), then the model's RoPE scaling)
            double f = 1.0 / StrictMath.pow(cfg.ropeTheta(), (2.0 * i) / cfg.headDim());
            inv[i] = (float) (cfg.ropeScaling() == null ? f : cfg.ropeScaling().scale(f));
        }
        String pos = g.op("Cast", List.of(attr("to", (long) FLOAT)), OnnxNames.POSITION_IDS);
        String freqs = g.op("Mul", g.op("Unsqueeze", pos, g.ints(2)), g.floats(new long[] {half}, inv));
        String emb = g.op("Concat", List.of(attr("axis", -1L)), freqs, freqs);
        String headAxis = g.ints(layout == CacheLayout.IN_PLACE ? 2 : 1);
        return new String[] {g.op("Unsqueeze", g.op("Cos", emb), headAxis),
                g.op("Unsqueeze", g.op("Sin", emb), headAxis)};
    }

    private String layer(int l, String x, String shapeQ, String shapeKv, String[] rotary, String mask) {
        String p = "model.layers." + l + ".";
        long d = cfg.headDim();
        long nh = cfg.numHeads();
        long kvh = cfg.numKvHeads();
        String h = rmsNorm(x, p + "input_layernorm.weight");
        if (layout == CacheLayout.IN_PLACE) {
            return mlp(l, g.op("Add", x, linear(inPlaceAttention(l, h, shapeQ, shapeKv, rotary),
                    p + "self_attn.o_proj")));
        }
        var perm = List.of(attrInts("perm", 0, 2, 1, 3));
        String q = g.op("Transpose", perm, g.op("Reshape", linear(h, p + "self_attn.q_proj"), shapeQ));
        String k = g.op("Transpose", perm, g.op("Reshape", linear(h, p + "self_attn.k_proj"), shapeKv));
        String v = g.op("Transpose", perm, g.op("Reshape", linear(h, p + "self_attn.v_proj"), shapeKv));
        q = rope(q, rotary);
        k = rope(k, rotary);
        String kAll;
        String vAll;
        if (storedType == FLOAT) {
            kAll = g.opNamed(OnnxNames.presentKey(l), "Concat", List.of(attr("axis", 2L)), OnnxNames.pastKey(l), k);
            vAll = g.opNamed(OnnxNames.presentValue(l), "Concat", List.of(attr("axis", 2L)), OnnxNames.pastValue(l),
                    v);
        } else {
            // float16 caches (Optimum's fp16 layout), attention in float32
            kAll = g.op("Concat", List.of(attr("axis", 2L)), widen(OnnxNames.pastKey(l)), k);
            vAll = g.op("Concat", List.of(attr("axis", 2L)), widen(OnnxNames.pastValue(l)), v);
            narrowed(OnnxNames.presentKey(l), kAll);
            narrowed(OnnxNames.presentValue(l), vAll);
        }
        // query heads grouped per shared KV head; broadcasting over the group axis avoids repeating K and V
        String qg = g.op("Reshape", q, g.ints(0, kvh, cfg.kvGroups(), -1, d));
        String kt = g.op("Transpose", List.of(attrInts("perm", 0, 1, 2, 4, 3)), g.op("Unsqueeze", kAll, g.ints(2)));
        String scores = g.op("Add", g.op("Mul", g.op("MatMul", qg, kt), g.scalar((float) (1.0 / Math.sqrt(d)))), mask);
        String probs = g.op("Softmax", List.of(attr("axis", -1L)), scores);
        String out = g.op("MatMul", probs, g.op("Unsqueeze", vAll, g.ints(2)));
        out = g.op("Reshape", g.op("Transpose", perm, g.op("Reshape", out, g.ints(0, nh, -1, d))), g.ints(-1, nh * d));
        return mlp(l, g.op("Add", x, linear(out, p + "self_attn.o_proj")));
    }

    /**
     * Attention through ONNX Runtime's GroupQueryAttention over sequence-first activations ({@code [batch, seq,
     * heads * head_dim]}): rotary embeddings applied here as in Optimum's graph (the op's own rotary is off, so both
     * layouts compute them alike), the new keys and values written into the cache buffer at each row's length.
     *
     * @return the attention output {@code [tokens, heads * head_dim]}
     */
    private String inPlaceAttention(int l, String h, String shapeQ, String shapeKv, String[] rotary) {
        String p = "model.layers." + l + ".";
        long d = cfg.headDim();
        long nh = cfg.numHeads();
        long kvh = cfg.numKvHeads();
        String seqFirst = g.ints(0, 0, -1);
        String q = g.op("Reshape", rope(g.op("Reshape", linear(h, p + "self_attn.q_proj"), shapeQ), rotary), seqFirst);
        String k = g.op("Reshape", rope(g.op("Reshape", linear(h, p + "self_attn.k_proj"), shapeKv), rotary),
                seqFirst);
        String v = g.op("Reshape", g.op("Reshape", linear(h, p + "self_attn.v_proj"), shapeKv), seqFirst);
        String out = "attention_" + l;
        g.opInDomain(MICROSOFT, "GroupQueryAttention", List.of(attr("num_heads", nh), attr("kv_num_heads", kvh),
                        attr("scale", (float) (1.0 / Math.sqrt(d)))),
                List.of(out, OnnxNames.presentKey(l), OnnxNames.presentValue(l)),
                q, k, v, OnnxNames.pastKey(l), OnnxNames.pastValue(l), OnnxNames.SEQLENS_K,
                OnnxNames.TOTAL_SEQUENCE_LENGTH);
        return g.op("Reshape", out, g.ints(-1, nh * d));
    }

    /** The residual MLP block after attention: {@code x + down(silu(gate(h)) * up(h))}, {@code h} normed {@code x}. */
    private String mlp(int l, String x) {
        String p = "model.layers." + l + ".";
        String h = rmsNorm(x, p + "post_attention_layernorm.weight");
        String gate = linear(h, p + "mlp.gate_proj");
        String up = linear(h, p + "mlp.up_proj");
        String act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up);
        return g.op("Add", x, linear(act, p + "mlp.down_proj"));
    }

    /** Rotary embeddings of {@code x}, heads-first or sequence-first as {@code rotary} is shaped. */
    private String rope(String x, String[] rotary) {
        long half = cfg.headDim() / 2;
        String axis3 = g.ints(3);
        String x1 = g.op("Slice", x, g.ints(0), g.ints(half), axis3);
        String x2 = g.op("Slice", x, g.ints(half), g.ints(Long.MAX_VALUE), axis3);
        String rotated = g.op("Concat", List.of(attr("axis", -1L)), g.op("Neg", x2), x1);
        return g.op("Add", g.op("Mul", x, rotary[0]), g.op("Mul", rotated, rotary[1]));
    }

    private String rmsNorm(String x, String weightName) {
        String var = g.op("ReduceMean", List.of(attrInts("axes", -1), attr("keepdims", 1L)), g.op("Mul", x, x));
        String normed = g.op("Div", x, g.op("Sqrt", g.op("Add", var, g.scalar((float) cfg.rmsNormEps()))));
        return g.op("Mul", normed, weight(weightName));
    }

    /** {@code x W^T + b} for activations {@code [tokens, in]}, plus {@code scale · (x A^T) B^T} when adapted. */
    private String linear(String x, String module) {
        String bias = module + ".bias";
        String y = expected.contains(bias)
                ? g.op("Gemm", List.of(attr("transB", 1L)), x, weight(module + ".weight"), weight(bias))
                : g.op("Gemm", List.of(attr("transB", 1L)), x, weight(module + ".weight"));
        if (lora == null || !lora.modules().contains(module)) {
            return y;
        }
        long[] w = weights.get(module + ".weight").shape();
        String a = LoraInputs.aKey(module);
        String b = LoraInputs.bKey(module);
        g.input(a, FLOAT, (long) lora.rank(), w[1]);
        g.input(b, FLOAT, w[0], (long) lora.rank());
        // the policy's order: the rank-r product first, then B, then the scale (Gemm's alpha)
        String low = g.op("Gemm", List.of(attr("transB", 1L)), x, a);
        String delta = g.op("Gemm", List.of(attr("transB", 1L), attr("alpha", (float) lora.scale())), low, b);
        return g.op("Add", y, delta);
    }

    /**
     * The float32 value of a weight, its initializer (or input) added on first use (a tied head reuses the
     * embedding); a float16 weight is widened by a Cast, which ONNX Runtime folds into a float32 constant when the
     * weight is an initializer (its CPU provider has few float16 kernels).
     */
    private String weight(String name) {
        if (added.add(name)) {
            TensorData t = weights.get(name);
            if (weightsAsInputs) {
                g.input(name, storedType, Arrays.stream(t.shape()).boxed().toArray());
            } else {
                g.weight(name, storedType, t.shape(), t.data());
            }
            widened.put(name, widen(name));
        }
        return widened.get(name);
    }
}
