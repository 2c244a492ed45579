package org.prefopt.backends.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.prefopt.api.io.AtomicFiles;

/**
 * The architecture hyper-parameters of a Llama/Qwen2/Qwen3/Mistral-family decoder, read from a Hugging Face
 * {@code config.json}. Only the fields the forward pass depends on are kept; an architecture outside the family
 * or a RoPE scaling scheme this decoder does not implement is rejected instead of silently computing something
 * else.
 *
 * @param ropeScaling  Llama 3.1-style RoPE scaling, or null for plain RoPE
 * @param maxPositions {@code max_position_embeddings}: the longest sequence (prompt + completion) the model was
 *                     made for; 0 when the checkpoint does not say
 * @param qkNorm       Qwen3: an RMSNorm over each head's query and key (weights {@code q_norm}/{@code k_norm} of
 *                     shape [head_dim]) before the rotary embedding
 * @param slidingWindow the attention window of sliding-window attention (Mistral's {@code sliding_window}, Qwen's
 *                     when {@code use_sliding_window}); 0 for none. This decoder attends to the whole sequence,
 *                     which equals the window only while a sequence fits in it ({@code ModelInputs} refuses longer)
 */
public record ModelConfig(String architecture, int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
                          int numHeads, int numKvHeads, int headDim, double ropeTheta, double rmsNormEps,
                          boolean tieWordEmbeddings, boolean attentionBias, Set<Integer> eosTokenIds,
                          RopeScaling ropeScaling, int maxPositions, boolean qkNorm, int slidingWindow) {

    public static final String LLAMA = "LlamaForCausalLM";
    public static final String QWEN2 = "Qwen2ForCausalLM";
    public static final String QWEN3 = "Qwen3ForCausalLM";
    public static final String MISTRAL = "MistralForCausalLM";
    public static final List<String> SUPPORTED = List.of(LLAMA, QWEN2, QWEN3, MISTRAL);

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        // insertion order, not Set.copyOf's per-JVM order: exported config.json files stay the same from run to run
        eosTokenIds = Collections.unmodifiableSet(new LinkedHashSet<>(eosTokenIds));
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
    }

    /** A Llama/Qwen2-style decoder without q/k norms or an attention window (the presets). */
    public ModelConfig(String architecture, int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
                       int numHeads, int numKvHeads, int headDim, double ropeTheta, double rmsNormEps,
                       boolean tieWordEmbeddings, boolean attentionBias, Set<Integer> eosTokenIds,
                       RopeScaling ropeScaling, int maxPositions) {
        this(architecture, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, ropeTheta,
                rmsNormEps, tieWordEmbeddings, attentionBias, eosTokenIds, ropeScaling, maxPositions, false, 0);
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    public static ModelConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw new IllegalArgumentException("no " + configJson.getFileName() + " in " + configJson.toAbsolutePath()
                    .getParent() + ": a Hugging Face checkpoint directory holds config.json, model.safetensors (or"
                    + " model.safetensors.index.json with its shards) and the tokenizer files");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(configJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(configJson + ": cannot read as JSON: " + e.getMessage(), e);
        }
        return parse(root, configJson.toString());
    }

    static ModelConfig parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        JsonNode archs = root.path("architectures");
        String arch = archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
        if (arch == null || !SUPPORTED.contains(arch)) {
            throw new IllegalArgumentException(where + ": architectures = " + archs
                    + " is not supported; this decoder implements " + SUPPORTED);
        }
        RopeScaling scaling = RopeScaling.parse(root.get("rope_scaling"), where);
        int hidden = requireInt(root, "hidden_size", where);
        int heads = requireInt(root, "num_attention_heads", where);
        int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
                ? requireInt(root, "num_key_value_heads", where) : heads;
        int headDim = root.has("head_dim") && !root.get("head_dim").isNull()
                ? requireInt(root, "head_dim", where) : hidden / heads;
        boolean bias = arch.equals(QWEN2) || arch.equals(LLAMA) && root.path("attention_bias").asBoolean(false);
        if (arch.equals(QWEN3) && root.path("attention_bias").asBoolean(false)) {
            // transformers then adds biases to o_proj as well, which this decoder does not read
            throw new IllegalArgumentException(where + ": Qwen3 with attention_bias = true is not supported (the"
                    + " released Qwen3 models have none)");
        }
        Set<Integer> eos = new LinkedHashSet<>();
        JsonNode eosNode = root.get("eos_token_id");
        if (eosNode != null && eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asInt()));
        } else if (eosNode != null && eosNode.canConvertToInt()) {
            eos.add(eosNode.asInt());
        }
        return new ModelConfig(arch, requireInt(root, "vocab_size", where), hidden,
                requireInt(root, "intermediate_size", where), requireInt(root, "num_hidden_layers", where),
                heads, kvHeads, headDim, root.path("rope_theta").asDouble(10000.0),
                root.path("rms_norm_eps").asDouble(1e-6), root.path("tie_word_embeddings").asBoolean(false),
                bias, eos, scaling, root.path("max_position_embeddings").asInt(0), arch.equals(QWEN3),
                slidingWindow(root, arch, where));
    }

    /**
     * Mistral's {@code sliding_window} (null: none); Qwen2/Qwen3 use theirs only when {@code use_sliding_window}.
     * Llama has none.
     */
    private static int slidingWindow(JsonNode root, String arch, String where) {
        boolean used = arch.equals(MISTRAL)
                || (arch.equals(QWEN2) || arch.equals(QWEN3)) && root.path("use_sliding_window").asBoolean(false);
        JsonNode w = root.get("sliding_window");
        if (!used || w == null || w.isNull()) {
            return 0;
        }
        return requireInt(root, "sliding_window", where);
    }

    private static int requireInt(JsonNode root, String key, String where) {
        JsonNode n = root.get(key);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a positive integer (got " + n + ")");
        }
        return n.asInt();
    }

    /** A {@code config.json} that Hugging Face transformers loads as this architecture. */
    public ObjectNode toJson(String torchDtype) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add(architecture);
        o.put("model_type", switch (architecture) {
            case QWEN2 -> "qwen2";
            case QWEN3 -> "qwen3";
            case MISTRAL -> "mistral";
            default -> "llama";
        });
        o.put("vocab_size", vocabSize);
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("num_key_value_heads", numKvHeads);
        o.put("head_dim", headDim);
        o.put("rope_theta", ropeTheta);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("hidden_act", "silu");
        o.put("max_position_embeddings", maxPositions > 0 ? maxPositions : 32768);
        if (architecture.equals(LLAMA) || architecture.equals(QWEN3)) {
            o.put("attention_bias", attentionBias);
        }
        if (architecture.equals(MISTRAL)) {
            o.put("sliding_window", slidingWindow > 0 ? (Integer) slidingWindow : null);
        } else if (slidingWindow > 0) {
            o.put("use_sliding_window", true);
            o.put("sliding_window", slidingWindow);
        }
        if (!eosTokenIds.isEmpty()) {
            var arr = o.putArray("eos_token_id");
            eosTokenIds.forEach(arr::add);
        }
        if (ropeScaling != null) {
            ropeScaling.write(o);
        }
        o.put("torch_dtype", torchDtype);
        return o;
    }

    public void write(Path configJson, String torchDtype) {
        String json;
        try {
            json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(torchDtype));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + configJson, e);
        }
        AtomicFiles.writeFile(configJson, tmp -> Files.writeString(tmp, json));
    }

    /** Number of parameters, counting a tied head once. */
    public long parameterCount() {
        long h = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKvHeads * headDim;
        long attn = h * q + 2 * h * kv + q * h + (attentionBias ? q + 2 * kv : 0);
        long mlp = 3 * h * intermediateSize;
        long layer = attn + mlp + 2 * h + (qkNorm ? 2L * headDim : 0);
        long embed = (long) vocabSize * h;
        return numLayers * layer + embed + h + (tieWordEmbeddings ? 0 : embed);
    }
}
