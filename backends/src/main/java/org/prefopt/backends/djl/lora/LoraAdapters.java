package org.prefopt.backends.djl.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.backends.djl.model.Casts;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.model.ProjectionAdapters;
import org.prefopt.backends.safetensors.SafetensorsFile;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Low-rank adapters on the decoder's projections: {@code y = W x + (alpha/r) · B A dropout(x)}. Adapters are
 * float32 whatever the base dtype (they are the trainable part); A starts like PEFT's default (Kaiming-uniform)
 * and B at zero, so a fresh adapter leaves the model unchanged.
 */
public final class LoraAdapters implements ProjectionAdapters {

    public static final String PEFT_WEIGHTS = "adapter_model.safetensors";
    public static final String PEFT_CONFIG = "adapter_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoraSettings settings;
    /** Keyed by module path, e.g. {@code model.layers.3.self_attn.q_proj}; value = {A (r×in), B (out×r)}. */
    private final Map<String, NDArray[]> adapters;
    private long dropoutSeed;

    private LoraAdapters(LoraSettings settings, Map<String, NDArray[]> adapters) {
        this.settings = settings;
        this.adapters = adapters;
    }

    public static LoraAdapters create(NDManager manager, ModelConfig cfg, LoraSettings settings, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, NDArray[]> map = new LinkedHashMap<>();
        for (String module : modules(cfg, settings)) {
            int[] dims = dims(cfg, module);
            int in = dims[0];
            int out = dims[1];
            float[] a = new float[settings.rank() * in];
            // kaiming_uniform_(a=sqrt(5)) as in PEFT: bound = 1/sqrt(fan_in)
            double bound = 1.0 / Math.sqrt(in);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            NDArray aArr = NdTensors.owned(manager.create(a, new Shape(settings.rank(), in)));
            NDArray bArr = manager.zeros(new Shape(out, settings.rank()), DataType.FLOAT32);
            map.put(module, new NDArray[] {aArr, bArr});
        }
        return new LoraAdapters(settings, map);
    }

    private static List<String> modules(ModelConfig cfg, LoraSettings settings) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < cfg.numLayers(); l++) {
            for (String t : LoraSettings.PROJECTIONS) {
                if (settings.targetModules().contains(t)) {
                    String group = t.endsWith("_proj") && List.of("gate_proj", "up_proj", "down_proj").contains(t)
                            ? "mlp" : "self_attn";
                    out.add("model.layers." + l + "." + group + "." + t);
                }
            }
        }
        return out;
    }

    /** {in, out} features of a projection. */
    private static int[] dims(ModelConfig cfg, String module) {
        int h = cfg.hiddenSize();
        int q = cfg.numHeads() * cfg.headDim();
        int kv = cfg.numKvHeads() * cfg.headDim();
        String name = module.substring(module.lastIndexOf('.') + 1);
        return switch (name) {
            case "q_proj" -> new int[] {h, q};
            case "k_proj", "v_proj" -> new int[] {h, kv};
            case "o_proj" -> new int[] {q, h};
            case "gate_proj", "up_proj" -> new int[] {h, cfg.intermediateSize()};
            case "down_proj" -> new int[] {cfg.intermediateSize(), h};
            default -> throw new IllegalArgumentException(module);
        };
    }

    public LoraSettings settings() {
        return settings;
    }

    /** The adapted modules (e.g. {@code model.layers.3.self_attn.q_proj}), in layer order. */
    public Set<String> modules() {
        return Collections.unmodifiableSet(adapters.keySet());
    }

    @Override
    public boolean covers(String module) {
        return adapters.containsKey(module);
    }

    /**
     * Makes the dropout masks of the following training forward passes a function of {@code callSeed} and the
     * module alone: each module reseeds torch's generator before drawing. Resumed runs then draw the same masks,
     * and so does gradient checkpointing when it re-runs a layer in the backward pass.
     */
    public void seedDropout(long callSeed) {
        this.dropoutSeed = callSeed;
    }

    /** The adapter's contribution for input {@code x} (any float dtype), in x's dtype. */
    @Override
    public NDArray delta(String module, NDArray x, boolean training) {
        NDArray[] ab = adapters.get(module);
        // float16 training back-propagates through both casts (Casts: DJL's own cast would cut the graph)
        NDArray in = Casts.to(x, DataType.FLOAT32);
        if (training && settings.dropout() > 0) {
            JniUtils.setSeed(dropoutSeed * 0x9E3779B97F4A7C15L + module.hashCode());
            in = in.getNDArrayInternal().dropout(in, (float) settings.dropout(), true).singletonOrThrow();
        }
        NDArray low = Linear.linear(in, ab[0], null).singletonOrThrow();
        NDArray d = NdTensors.scaled(Linear.linear(low, ab[1], null).singletonOrThrow(), settings.scale());
        return Casts.to(d, x.getDataType());
    }

    /** Trainable arrays under their PEFT key names. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((module, ab) -> {
            out.put(peftKey(module, "lora_A"), ab[0]);
            out.put(peftKey(module, "lora_B"), ab[1]);
        });
        return out;
    }

    /**
     * PEFT's key of an adapter matrix: {@code base_model.model.<module>.<lora_A|lora_B>.weight}, the one naming rule
     * of adapter files and of the ONNX graph inputs that carry adapters.
     */
    public static String peftKey(String module, String which) {
        return "base_model.model." + module + "." + which + ".weight";
    }

    /** {@code W + scale · B A} for every adapted projection weight, in the base weight's dtype. */
    public NDArray merged(String module, NDArray baseWeight) {
        NDArray[] ab = adapters.get(module);
        NDArray delta = ab[1].matMul(ab[0]).muli(settings.scale());
        // out of place: toType(FLOAT32, true) hands back the base array itself when it is float32 already, and an
        // in-place add then changed the policy's base weight on every export (the policy drifted by one delta each)
        NDArray base32 = baseWeight.getDataType() == DataType.FLOAT32 ? baseWeight
                : baseWeight.toType(DataType.FLOAT32, false);
        NDArray merged = base32.add(delta);
        delta.close();
        if (base32 != baseWeight) {
            base32.close();
        }
        if (merged.getDataType() == baseWeight.getDataType()) {
            return merged;
        }
        NDArray stored = merged.toType(baseWeight.getDataType(), false);
        merged.close();
        return stored;
    }

    /**
     * Folds every adapter into its base weight ({@code W ← W + scale · B A}) and sets B to zero, so the model is
     * unchanged and "adapters off" now means the merged model. A keeps its values (with B = 0 it contributes
     * nothing, exactly like a fresh PEFT adapter).
     */
    public void mergeInto(Map<String, NDArray> baseWeights) {
        adapters.forEach((module, ab) -> {
            NDArray base = baseWeights.get(module + ".weight");
            if (base == null) {
                throw new IllegalStateException("no base weight for adapted module " + module);
            }
            try (NDArray merged = merged(module, base)) {
                NdTensors.copyInto(base, merged);
            }
            try (NDArray zeros = ab[1].zerosLike()) {
                NdTensors.copyInto(ab[1], zeros);
            }
        });
    }

    /** Writes the PEFT adapter directory (config + weights), each file atomically. */
    public void savePeft(Path dir, String baseModel) {
        try {
            Files.createDirectories(dir);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            parameters().forEach((k, v) -> tensors.put(k, NdTensors.fromNd(v, DataType.FLOAT32)));
            SafetensorsWriter.write(dir.resolve(PEFT_WEIGHTS), tensors, Map.of("format", "pt"));
            ObjectNode c = JSON.createObjectNode();
            c.put("peft_type", "LORA");
            c.put("task_type", "CAUSAL_LM");
            c.put("r", settings.rank());
            if (settings.alpha() == Math.rint(settings.alpha())) {
                c.put("lora_alpha", (long) settings.alpha()); // PEFT's type is int
            } else {
                c.put("lora_alpha", settings.alpha());
            }
            c.put("lora_dropout", settings.dropout());
            c.put("bias", "none");
            c.put("fan_in_fan_out", false);
            c.put("inference_mode", true);
            c.put("base_model_name_or_path", baseModel);
            var tm = c.putArray("target_modules");
            settings.targetModules().forEach(tm::add);
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c);
            AtomicFiles.writeFile(dir.resolve(PEFT_CONFIG), tmp -> Files.writeString(tmp, json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write adapter to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads the settings of a PEFT adapter directory. */
    public static LoraSettings readPeftSettings(Path dir) {
        Path cfg = dir.resolve(PEFT_CONFIG);
        try {
            JsonNode c = JSON.readTree(Files.readString(cfg));
            if (!"LORA".equals(c.path("peft_type").asText())) {
                throw new IllegalArgumentException(cfg + ": peft_type must be LORA (got " + c.get("peft_type") + ")");
            }
            refuseVariants(c, cfg);
            if (!c.path("target_modules").isArray()) {
                throw new IllegalArgumentException(cfg + ": target_modules must be a list of projection names such as"
                        + " [\"q_proj\", \"v_proj\"] (got " + c.get("target_modules") + ")");
            }
            if (!c.path("r").canConvertToInt() || !c.path("lora_alpha").isNumber()) {
                throw new IllegalArgumentException(cfg + ": needs the integer 'r' and the number 'lora_alpha' (got r = "
                        + c.get("r") + ", lora_alpha = " + c.get("lora_alpha") + ")");
            }
            List<String> targets = new ArrayList<>();
            c.path("target_modules").forEach(n -> targets.add(n.asText()));
            try {
                return new LoraSettings(c.path("r").asInt(), c.path("lora_alpha").asDouble(),
                        c.path("lora_dropout").asDouble(0), targets);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(cfg + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cfg + ": " + e.getMessage(), e);
        }
    }

    /**
     * PEFT options that change what the adapter computes and that this implementation does not follow: loading such
     * an adapter as plain LoRA would compute a different model without a word.
     */
    private static void refuseVariants(JsonNode c, Path cfg) {
        for (String flag : List.of("use_rslora", "use_dora", "fan_in_fan_out")) {
            if (c.path(flag).asBoolean(false)) {
                throw new IllegalArgumentException(cfg + ": " + flag + " = true is not supported (prefopt computes"
                        + " plain LoRA: W x + lora_alpha/r · B A x)");
            }
        }
        for (String map : List.of("rank_pattern", "alpha_pattern")) {
            if (c.path(map).size() > 0) {
                throw new IllegalArgumentException(cfg + ": a per-module " + map + " is not supported (one r and"
                        + " lora_alpha for every target module)");
            }
        }
        if (!c.path("bias").asText("none").equals("none")) {
            throw new IllegalArgumentException(cfg + ": bias = " + c.get("bias") + " is not supported (only \"none\")");
        }
        if (c.path("modules_to_save").size() > 0 || c.path("layers_to_transform").size() > 0) {
            throw new IllegalArgumentException(cfg + ": modules_to_save and layers_to_transform are not supported"
                    + " (adapters on the target projections of every layer only)");
        }
    }

    /** Overwrites the adapter weights with those saved in a PEFT directory (same modules and rank required). */
    public void loadWeights(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, NDArray> params = parameters();
            for (String key : f.tensors().keySet()) {
                if (!params.containsKey(key)) {
                    throw new IllegalArgumentException(file + ": adapter tensor '" + key + "' is not one of this"
                            + " policy's adapters (base_model.model.model.layers.<N>.<self_attn|mlp>.<target>"
                            + ".lora_A|lora_B.weight for the target_modules of adapter_config.json)");
                }
            }
            for (var e : params.entrySet()) {
                if (!f.tensors().containsKey(e.getKey())) {
                    throw new IllegalArgumentException(file + ": missing adapter tensor '" + e.getKey() + "'");
                }
                NdTensors.copyInto(e.getValue(), f.read(e.getKey()), file + ": '" + e.getKey() + "'");
            }
        }
    }
}
