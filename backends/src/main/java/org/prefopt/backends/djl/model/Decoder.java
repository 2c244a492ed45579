package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.Map;

/**
 * The Llama/Qwen2/Qwen3/Mistral decoder forward pass on NDArrays, following Hugging Face's {@code modeling_llama} /
 * {@code modeling_qwen2} / {@code modeling_qwen3}: RMSNorm (computed in float32), rotary embeddings on (q, k) (after
 * Qwen3's per-head RMSNorm of them), grouped-query attention
 * with the softmax in float32, SwiGLU MLP, residuals, final norm. Weights are looked up by their Hugging Face
 * names in the map given to each call, so the same code runs the policy, a frozen reference copy, or weights
 * with LoRA switched off.
 *
 * <p>Every op takes an activation as its first operand, so results belong to the caller's (per-call) manager
 * and never accumulate in the weights' manager.
 */
public final class Decoder {

    private final ModelConfig cfg;
    private final DataType dtype;
    private final NDArray invFreq;
    /** 1/sqrt(head dim) as a float32 scalar in torch-owned memory, made once for the KV-cached attention. */
    private final NDArray attentionScale;

    public Decoder(ModelConfig cfg, DataType dtype, NDManager manager) {
        this.cfg = cfg;
        this.dtype = dtype;
        int half = cfg.headDim() / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            // as HF: 1 / theta^(2i/d), computed in float32
            double f = 1.0 / StrictMath.pow(cfg.ropeTheta(), (2.0 * i) / cfg.headDim());
            inv[i] = (float) (cfg.ropeScaling() == null ? f : cfg.ropeScaling().scale(f));
        }
        this.invFreq = NdTensors.owned(manager.create(inv, new Shape(1, 1, half)));
        this.attentionScale = manager.full(new Shape(), (float) (1.0 / Math.sqrt(cfg.headDim())), DataType.FLOAT32);
    }

    public ModelConfig config() {
        return cfg;
    }

    public DataType dtype() {
        return dtype;
    }

    /** The token embedding's Hugging Face name. */
    public static final String EMBEDDING = "model.embed_tokens.weight";

    /** The output projection: {@code lm_head.weight}, or the input embedding when tied. */
    public static String headName(ModelConfig cfg) {
        return cfg.tieWordEmbeddings() ? EMBEDDING : "lm_head.weight";
    }

    /** Rotary tables of a batch's positions, (batch, 1, tokens, head dim) in the model's dtype. */
    public record Rotary(NDArray cos, NDArray sin) {
    }

    /**
     * Final hidden states (after the last norm), shape (batch, tokens, hidden).
     *
     * @param lora     adapters to apply, or null for the base weights
     * @param training enables LoRA dropout
     * @param cache    when not null, keys/values of this call are written into it and attention covers its filled
     *                 part (the positions before this call and this call's)
     */
    public NDArray forward(Map<String, NDArray> w, ProjectionAdapters lora, boolean training, Batch batch, KvCache cache) {
        if (cache != null) {
            // generation: nothing needs a layer's intermediates once its keys and values are in the cache, and
            // holding every layer's made a large-batch prefill the peak of resident memory (13 MB per sequence of
            // 32 tokens on bench-small)
            return forwardReleasing(w, lora, training, batch, batch.ids().getManager(), null, cache);
        }
        NDArray x = embed(w, batch);
        Rotary rotary = rotary(batch);
        for (int l = 0; l < cfg.numLayers(); l++) {
            x = layer(l, w, lora, training, x, rotary, batch.mask(), null);
        }
        return finalNorm(w, x);
    }

    /**
     * Final hidden states as {@link #forward} gives them (no KV cache), with each layer run in its own sub-manager of
     * {@code manager} that is closed when the layer is done. Without autograd nothing else holds a layer's
     * intermediates, so memory holds one layer's activations at a time instead of all of them.
     *
     * @param layerInputs when not null, receives the input of every layer and then of the final norm, owned by
     *                    {@code manager} (gradient checkpointing re-runs the layers from them); when null each
     *                    input is released once its layer is done
     */
    public NDArray forwardReleasing(Map<String, NDArray> w, ProjectionAdapters lora, boolean training, Batch batch,
                                    NDManager manager, List<NDArray> layerInputs) {
        return forwardReleasing(w, lora, training, batch, manager, layerInputs, null);
    }

    private NDArray forwardReleasing(Map<String, NDArray> w, ProjectionAdapters lora, boolean training, Batch batch,
                                     NDManager manager, List<NDArray> layerInputs, KvCache cache) {
        Rotary rotary = rotary(batch);
        NDArray x = embed(w, batch);
        for (int l = 0; l < cfg.numLayers(); l++) {
            if (layerInputs != null) {
                layerInputs.add(x);
            }
            try (NDManager scope = manager.newSubManager()) {
                x.tempAttach(scope); // the layer's intermediates follow their first operand into this scope
                NDArray y = layer(l, w, lora, training, x, rotary, batch.mask(), cache);
                y.attach(manager);
                if (layerInputs == null) {
                    x.close();
                }
                x = y;
            }
        }
        if (layerInputs != null) {
            layerInputs.add(x);
        }
        return finalNorm(w, x);
    }

    /** Token embeddings of the batch, (batch, tokens, hidden): the input of layer 0. */
    public NDArray embed(Map<String, NDArray> w, Batch batch) {
        NDArray ids = batch.ids();
        return ids.getNDArrayInternal().embedding(ids, w.get(EMBEDDING), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    public Rotary rotary(Batch batch) {
        NDArray freqs = batch.positions().expandDims(-1).mul(invFreq);
        NDArray emb = freqs.concat(freqs, -1);
        return new Rotary(emb.cos().expandDims(1).toType(dtype, false), emb.sin().expandDims(1).toType(dtype, false));
    }

    /**
     * Decoder layer {@code l} (attention and MLP blocks with their residuals) applied to {@code x}. Its results
     * belong to {@code x}'s manager.
     */
    public NDArray layer(int l, Map<String, NDArray> w, ProjectionAdapters lora, boolean training, NDArray x,
                         Rotary rotary, NDArray mask, KvCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int d = cfg.headDim();
        int nh = cfg.numHeads();
        int kvh = cfg.numKvHeads();
        String p = "model.layers." + l + ".";
        NDArray h = rmsNorm(x, w.get(p + "input_layernorm.weight"));
        NDArray q = headNorm(w, p + "self_attn.q_norm", proj(w, lora, training, h, p + "self_attn.q_proj")
                .reshape(b, t, nh, d)).transpose(0, 2, 1, 3);
        NDArray k = headNorm(w, p + "self_attn.k_norm", proj(w, lora, training, h, p + "self_attn.k_proj")
                .reshape(b, t, kvh, d)).transpose(0, 2, 1, 3);
        NDArray v = proj(w, lora, training, h, p + "self_attn.v_proj").reshape(b, t, kvh, d).transpose(0, 2, 1, 3);
        q = rope(q, rotary.cos(), rotary.sin());
        k = rope(k, rotary.cos(), rotary.sin());
        NDArray attn;
        if (cache != null) {
            NDArray[] kv = cache.append(l, k, v);
            attn = cachedAttention(q, kv[0], kv[1], mask, b, t);
        } else {
            attn = attention(q, k, v, mask, b, t);
        }
        x = x.add(proj(w, lora, training, attn, p + "self_attn.o_proj"));
        h = rmsNorm(x, w.get(p + "post_attention_layernorm.weight"));
        NDArray gate = proj(w, lora, training, h, p + "mlp.gate_proj");
        NDArray up = proj(w, lora, training, h, p + "mlp.up_proj");
        NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
        return x.add(proj(w, lora, training, act, p + "mlp.down_proj"));
    }

    /** The last RMSNorm, applied to the output of the last layer. */
    public NDArray finalNorm(Map<String, NDArray> w, NDArray x) {
        return rmsNorm(x, w.get("model.norm.weight"));
    }

    /** Float32 logits of the given hidden states. */
    public NDArray logits(Map<String, NDArray> w, NDArray hidden) {
        return Linear.linear(hidden, w.get(headName(cfg)), null).singletonOrThrow().toType(DataType.FLOAT32, false);
    }

    private NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, long b, long t) {
        int d = cfg.headDim();
        int g = cfg.kvGroups();
        int kvh = cfg.numKvHeads();
        long s = k.getShape().get(2);
        // Query heads are grouped per shared KV head; broadcasting over the group axis avoids copying K and V.
        NDArray qg = q.reshape(b, kvh, g, t, d);
        NDArray kg = k.expandDims(2).transpose(0, 1, 2, 4, 3);
        NDArray scores = NdTensors.scaled(Casts.to(qg.matMul(kg), DataType.FLOAT32), 1.0 / Math.sqrt(d)).addi(mask);
        NDArray probs = Casts.to(scores.softmax(-1), dtype);
        NDArray out = probs.matMul(v.expandDims(2));
        return out.reshape(b, (long) kvh * g, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) kvh * g * d);
    }

    /**
     * {@link #attention} over views of a {@link KvCache} (generation, no autograd). The query heads that share a KV
     * head become rows of one product, (batch, kv-heads, group x queries, head-dim) by the keys' (head-dim, keys), so
     * K and V are read in place: broadcasting them over the group axis, as {@link #attention} does, makes libtorch
     * copy the whole cache once per query head and layer at every step (50 MB per layer at batch 256 on
     * bench-small). The scale is a constant made once rather than a new tensor per call.
     */
    private NDArray cachedAttention(NDArray q, NDArray k, NDArray v, NDArray mask, long b, long t) {
        int d = cfg.headDim();
        int g = cfg.kvGroups();
        int kvh = cfg.numKvHeads();
        long s = k.getShape().get(2);
        NDArray scores = q.reshape(b, kvh, g * t, d).matMul(k.transpose(0, 1, 3, 2)).toType(DataType.FLOAT32, false)
                .mul(attentionScale);
        if (t == 1) {
            // a decoding step: one query per head, so the (batch, 1, 1, 1, keys) mask broadcasts over the rows as is
            // and the output's (kv-head, group, head-dim) order already is the hidden layout (two ops fewer each)
            NDArray probs = scores.addi(mask.reshape(b, 1, 1, s)).softmax(-1).toType(dtype, false);
            return probs.matMul(v).reshape(b, 1, (long) kvh * g * d);
        }
        NDArray probs = scores.reshape(b, kvh, g, t, s).addi(mask).softmax(-1).toType(dtype, false)
                .reshape(b, kvh, g * t, s);
        NDArray out = probs.matMul(v);
        return out.reshape(b, (long) kvh * g, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) kvh * g * d);
    }

    private static NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(":, :, :, :" + half);
        NDArray x2 = x.get(":, :, :, " + half + ":");
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** Qwen3's per-head RMSNorm of queries or keys (b, t, heads, head dim), before RoPE; identity elsewhere. */
    private NDArray headNorm(Map<String, NDArray> w, String module, NDArray x) {
        return cfg.qkNorm() ? rmsNorm(x, w.get(module + ".weight")) : x;
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        // casts through Casts: a training graph runs through them (float16 training)
        NDArray x32 = Casts.to(x, DataType.FLOAT32);
        NDArray var = x32.square().mean(new int[] {-1}, true);
        NDArray normed = Casts.to(x32.div(var.add((float) cfg.rmsNormEps()).sqrt()), dtype);
        return normed.mul(weight);
    }

    private static NDArray proj(Map<String, NDArray> w, ProjectionAdapters lora, boolean training, NDArray x,
                                String module) {
        NDArray weight = w.get(module + ".weight");
        if (weight == null) {
            throw new IllegalStateException("missing weight " + module + ".weight");
        }
        NDArray y = Linear.linear(x, weight, w.get(module + ".bias")).singletonOrThrow();
        if (lora != null && lora.covers(module)) {
            y = y.add(lora.delta(module, x, training));
        }
        return y;
    }
}
