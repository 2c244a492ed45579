package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsFormatException;
import org.prefopt.backends.safetensors.TensorData;

/** The named weights a {@link ModelConfig} requires, with their shapes; loading and random initialisation. */
public final class ModelWeights {

    private ModelWeights() {
    }

    /** Every weight the decoder reads, in Hugging Face naming, with its expected shape. */
    public static Map<String, long[]> expectedShapes(ModelConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        m.put(Decoder.EMBEDDING, new long[] {c.vocabSize(), h});
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            m.put(p + "input_layernorm.weight", new long[] {h});
            m.put(p + "self_attn.q_proj.weight", new long[] {q, h});
            m.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            m.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            if (c.attentionBias()) {
                m.put(p + "self_attn.q_proj.bias", new long[] {q});
                m.put(p + "self_attn.k_proj.bias", new long[] {kv});
                m.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            if (c.qkNorm()) {
                m.put(p + "self_attn.q_norm.weight", new long[] {c.headDim()});
                m.put(p + "self_attn.k_norm.weight", new long[] {c.headDim()});
            }
            m.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            m.put(p + "post_attention_layernorm.weight", new long[] {h});
            m.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), h});
            m.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), h});
            m.put(p + "mlp.down_proj.weight", new long[] {h, c.intermediateSize()});
        }
        m.put("model.norm.weight", new long[] {h});
        if (!c.tieWordEmbeddings()) {
            m.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return m;
    }

    /** Loads every expected weight from a checkpoint directory, checking presence and shape. */
    public static Map<String, NDArray> load(NDManager manager, ModelConfig c, Path dir, DataType dtype) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (CheckpointTensors tensors = CheckpointTensors.open(dir)) {
            for (var e : expectedShapes(c).entrySet()) {
                if (!tensors.contains(e.getKey())) {
                    throw new SafetensorsFormatException(dir + ": checkpoint lacks weight '" + e.getKey()
                            + "' required by config.json (" + c.architecture() + ", " + c.numLayers() + " layers)");
                }
                TensorData t = tensors.read(e.getKey());
                if (!new Shape(t.shape()).equals(new Shape(e.getValue()))) {
                    throw new SafetensorsFormatException(dir + ": weight '" + e.getKey() + "' has shape "
                            + new Shape(t.shape()) + " but config.json implies " + new Shape(e.getValue()));
                }
                NDArray weight = NdTensors.toNd(manager, t, dtype);
                out.put(e.getKey(), weight);
                if (dtype == DataType.FLOAT16 && !finite(weight)) {
                    requireFloat16Range(manager, t, dir, e.getKey());
                }
                requireFinite(weight, dir, e.getKey());
            }
        } catch (RuntimeException e) {
            out.values().forEach(NDArray::close);
            throw e;
        }
        return out;
    }

    private static boolean finite(NDArray weight) {
        try (NDArray nan = weight.isNaN(); NDArray inf = weight.isInfinite(); NDArray bad = nan.logicalOr(inf);
             NDArray any = bad.any()) {
            return !any.getBoolean();
        }
    }

    /**
     * A weight that is finite in the checkpoint but not in float16 (bfloat16 and float32 reach 3e38, float16 65504):
     * said as such, not as a damaged checkpoint.
     */
    private static void requireFloat16Range(NDManager manager, TensorData t, Path dir, String name) {
        try (NDManager tmp = manager.newSubManager()) {
            if (finite(NdTensors.toNd(tmp, t, DataType.FLOAT32))) {
                throw new SafetensorsFormatException(dir + ": weight '" + name + "' holds values beyond float16's"
                        + " range (|x| > 65504), which become inf under backend.dtype = float16; use dtype = float32");
            }
        }
    }

    /**
     * A checkpoint with NaN or infinite weights would train and generate NaN without a word; it is refused at load,
     * naming the tensor. The temporaries are closed here, not left to the model's manager.
     */
    private static void requireFinite(NDArray weight, Path dir, String name) {
        if (!finite(weight)) {
            throw new SafetensorsFormatException(dir + ": weight '" + name + "' holds NaN or infinite values;"
                    + " the checkpoint is damaged (or was saved after training diverged)");
        }
    }

    /** Random weights (normal with std 0.02, norms at 1, biases small), reproducible from {@code seed}. */
    public static Map<String, NDArray> random(NDManager manager, ModelConfig c, DataType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (var e : expectedShapes(c).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[Math.toIntExact(n)];
            boolean norm = e.getKey().endsWith("layernorm.weight") || e.getKey().endsWith("_norm.weight")
                    || e.getKey().equals("model.norm.weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = norm ? 1f : (float) (gaussian(rng) * (e.getKey().endsWith(".bias") ? 0.01 : 0.02));
            }
            // create() aliases a Java buffer on CPU; convert to torch-owned memory (see NdTensors.toNd)
            NDArray a = NdTensors.owned(manager.create(v, new Shape(e.getValue())));
            out.put(e.getKey(), convert(a, dtype));
        }
        return out;
    }

    private static NDArray convert(NDArray a, DataType dtype) {
        NDArray c = a.toType(dtype, false).duplicate();
        a.close();
        return c;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
