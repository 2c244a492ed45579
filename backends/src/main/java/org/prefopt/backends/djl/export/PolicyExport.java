package org.prefopt.backends.djl.export;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.backends.djl.DjlCompute;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.weights.PolicyWeights;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Writes a policy for other tools, as one directory swapped in atomically: a PEFT adapter directory (LoRA, not
 * merged) or a Hugging Face checkpoint ({@code config.json} + {@code model.safetensors}, adapters merged, in the
 * dtype the loaded checkpoint stored its weights in), each with the tokenizer files of the directory the policy
 * was loaded from (chat template and generation config included).
 */
public final class PolicyExport {

    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja");
    static final String GENERATION_CONFIG = "generation_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String policyName;
    private final DjlCompute compute;
    private final ModelConfig config;
    private final PolicyWeights weights;
    private final Path tokenizerDir;
    private final Path checkpointDir;

    /**
     * @param tokenizerDir  directory whose tokenizer files are copied, or null
     * @param checkpointDir the Hugging Face checkpoint the base weights were loaded from (a PEFT adapter's base, and
     *                      the dtype a full checkpoint is written in), or null for randomly initialised weights
     */
    public PolicyExport(String policyName, DjlCompute compute, ModelConfig config, PolicyWeights weights,
                        Path tokenizerDir, Path checkpointDir) {
        this.policyName = policyName;
        this.compute = compute;
        this.config = config;
        this.weights = weights;
        this.tokenizerDir = tokenizerDir;
        this.checkpointDir = checkpointDir;
    }

    /**
     * @throws IllegalStateException for a PEFT adapter of adapters trained on a base into which earlier adapters
     *                               were merged (a reference reset between stages): no adapter file holds both
     */
    public void export(Path directory, boolean mergeAdapters) {
        JniUtils.setGradMode(false);
        LoraAdapters lora = weights.lora();
        boolean adapterOnly = lora != null && !mergeAdapters;
        if (adapterOnly && weights.baseMerged()) {
            throw new IllegalStateException("the adapters were trained on top of earlier adapters that a reference"
                    + " reset (a new stage) merged into the base weights; a PEFT adapter would hold the last ones"
                    + " only. Export the merged checkpoint instead (--format hf --merge)");
        }
        AtomicFiles.writeDirectory(directory, tmp -> {
            if (adapterOnly) {
                lora.savePeft(tmp, checkpointDir == null ? policyName
                        : checkpointDir.toAbsolutePath().normalize().toString());
            } else {
                TensorDType storedAs = storedDtype();
                SafetensorsWriter.write(tmp.resolve(CheckpointTensors.SINGLE), mergedTensors(storedAs),
                        Map.of("format", "pt"));
                config.write(tmp.resolve("config.json"), torchDtype(storedAs));
            }
            copyTokenizerFiles(tmp);
            if (!adapterOnly && !Files.exists(tmp.resolve(GENERATION_CONFIG))) {
                writeGenerationConfig(tmp.resolve(GENERATION_CONFIG));
            }
        });
    }

    /**
     * The dtype the loaded checkpoint stores its weights in (its embedding's), so that a merged bfloat16 model is
     * exported as bfloat16 rather than at the float32 it was widened to; a random model's is the compute dtype.
     */
    private TensorDType storedDtype() {
        if (checkpointDir != null) {
            try (CheckpointTensors source = CheckpointTensors.open(checkpointDir)) {
                if (source.contains(Decoder.EMBEDDING)) {
                    return source.info(Decoder.EMBEDDING).dtype();
                }
            }
        }
        return NdTensors.fileType(compute.dtype());
    }

    private static String torchDtype(TensorDType t) {
        return switch (t) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
        };
    }

    /** What transformers writes for a model without one: the end-of-sequence ids of config.json. */
    private void writeGenerationConfig(Path file) throws IOException {
        ObjectNode g = JSON.createObjectNode();
        g.put("_from_model_config", true);
        var eos = g.putArray("eos_token_id");
        config.eosTokenIds().forEach(eos::add);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(g));
    }

    /** The policy's weights by Hugging Face name with LoRA adapters merged in, as host tensors of {@code storeAs}. */
    public Map<String, TensorData> mergedTensors(TensorDType storeAs) {
        return tensors(storeAs, true);
    }

    /** The base weights by Hugging Face name without the LoRA adapters (what the adapters are added to). */
    public Map<String, TensorData> baseTensors(TensorDType storeAs) {
        return tensors(storeAs, false);
    }

    /** The LoRA adapters' A and B matrices under PEFT's keys, float32 (empty under full fine-tuning). */
    public Map<String, TensorData> adapterTensors() {
        JniUtils.setGradMode(false);
        Map<String, TensorData> t = new LinkedHashMap<>();
        if (weights.lora() != null) {
            weights.lora().parameters().forEach((k, v) -> t.put(k, NdTensors.fromNd(v, TensorDType.F32)));
        }
        return t;
    }

    /** The PEFT keys of the adapters' A and B matrices (empty under full fine-tuning), without copying them. */
    public Set<String> adapterKeys() {
        return weights.lora() == null ? Set.of() : weights.lora().parameters().keySet();
    }

    private Map<String, TensorData> tensors(TensorDType storeAs, boolean merge) {
        JniUtils.setGradMode(false);
        LoraAdapters lora = merge ? weights.lora() : null;
        Map<String, TensorData> t = new LinkedHashMap<>();
        for (var e : weights.base().entrySet()) {
            String module = e.getKey().endsWith(".weight")
                    ? e.getKey().substring(0, e.getKey().length() - ".weight".length()) : null;
            if (lora != null && module != null && lora.covers(module)) {
                try (NDArray merged = lora.merged(module, e.getValue())) {
                    t.put(e.getKey(), NdTensors.fromNd(merged, storeAs));
                }
            } else {
                t.put(e.getKey(), NdTensors.fromNd(e.getValue(), storeAs));
            }
        }
        return t;
    }

    /** The directory the tokenizer files are copied from, or null. */
    public Path tokenizerDir() {
        return tokenizerDir;
    }

    private void copyTokenizerFiles(Path target) throws IOException {
        copyTokenizerFiles(tokenizerDir, target);
    }

    /** Copies the tokenizer files of {@code tokenizerDir} (if not null) that exist into {@code target}. */
    public static void copyTokenizerFiles(Path tokenizerDir, Path target) throws IOException {
        if (tokenizerDir == null) {
            return;
        }
        for (String f : TOKENIZER_FILES) {
            Path src = tokenizerDir.resolve(f);
            if (Files.isRegularFile(src)) {
                Files.copy(src, target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
