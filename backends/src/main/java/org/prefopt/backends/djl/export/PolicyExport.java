package org.prefopt.backends.djl.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.backends.djl.DjlCompute;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.weights.PolicyWeights;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Writes a policy for other tools, as one directory swapped in atomically: a PEFT adapter directory (LoRA, not
 * merged) or a Hugging Face checkpoint ({@code config.json} + {@code model.safetensors}, adapters merged), each
 * with the tokenizer files of the directory the policy was loaded from.
 */
public final class PolicyExport {

    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja");

    private final String policyName;
    private final DjlCompute compute;
    private final ModelConfig config;
    private final PolicyWeights weights;
    private final Path tokenizerDir;

    /** @param tokenizerDir directory whose tokenizer files are copied, or null */
    public PolicyExport(String policyName, DjlCompute compute, ModelConfig config, PolicyWeights weights,
                        Path tokenizerDir) {
        this.policyName = policyName;
        this.compute = compute;
        this.config = config;
        this.weights = weights;
        this.tokenizerDir = tokenizerDir;
    }

    public void export(Path directory, boolean mergeAdapters) {
        JniUtils.setGradMode(false);
        LoraAdapters lora = weights.lora();
        AtomicFiles.writeDirectory(directory, tmp -> {
            if (lora != null && !mergeAdapters) {
                lora.savePeft(tmp, tokenizerDir == null ? policyName : tokenizerDir.toString());
            } else {
                SafetensorsWriter.write(tmp.resolve(CheckpointTensors.SINGLE), mergedTensors(null),
                        Map.of("format", "pt"));
                config.write(tmp.resolve("config.json"), compute.info().dtype());
            }
            copyTokenizerFiles(tmp);
        });
    }

    /**
     * The policy's weights by Hugging Face name with LoRA adapters merged in, as host tensors.
     *
     * @param storeAs the stored type, or null to keep each weight's own
     */
    public Map<String, TensorData> mergedTensors(DataType storeAs) {
        JniUtils.setGradMode(false);
        LoraAdapters lora = weights.lora();
        Map<String, TensorData> t = new LinkedHashMap<>();
        for (var e : weights.base().entrySet()) {
            String module = e.getKey().endsWith(".weight")
                    ? e.getKey().substring(0, e.getKey().length() - ".weight".length()) : null;
            DataType type = storeAs == null ? e.getValue().getDataType() : storeAs;
            if (lora != null && module != null && lora.covers(module)) {
                try (NDArray merged = lora.merged(module, e.getValue())) {
                    t.put(e.getKey(), NdTensors.fromNd(merged, type));
                }
            } else {
                t.put(e.getKey(), NdTensors.fromNd(e.getValue(), type));
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
