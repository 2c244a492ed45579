package org.prefopt.backends.djl.state;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.training.AdamW;
import org.prefopt.backends.djl.training.PolicyTrainer;
import org.prefopt.backends.djl.weights.PolicyWeights;
import org.prefopt.backends.safetensors.SafetensorsFile;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorData;

/**
 * A policy's resumable training state as one directory, written atomically: the trainable arrays, the optimizer's
 * moments, the frozen reference (full fine-tuning), the merged base (LoRA after a reference reset) and
 * {@value #STATE} with the step counters and the seed.
 */
public final class TrainingState {

    static final String TRAINABLE = "trainable.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "state.json";
    static final String REFERENCE = "reference.safetensors";
    /** LoRA base weights, saved once a reference reset has merged adapters into them. */
    static final String BASE = "base.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelConfig config;
    private final long seed;
    private final PolicyWeights weights;
    private final PolicyTrainer trainer;

    public TrainingState(ModelConfig config, long seed, PolicyWeights weights, PolicyTrainer trainer) {
        this.config = config;
        this.seed = seed;
        this.weights = weights;
        this.trainer = trainer;
    }

    private String mode() {
        return weights.lora() == null ? "full" : "lora";
    }

    public void save(Path directory) {
        AdamW optimizer = trainer.optimizer();
        AtomicFiles.writeDirectory(directory, tmp -> {
            // the float32 masters: under float16 full fine-tuning the working copies are rounded from them
            SafetensorsWriter.write(tmp.resolve(TRAINABLE), NdTensors.fromNd(optimizer.masterWeights()), Map.of());
            Map<String, TensorData> o = new LinkedHashMap<>();
            optimizer.firstMoments().forEach((k, v) -> o.put("m." + k, NdTensors.fromNd(v, DataType.FLOAT32)));
            optimizer.secondMoments().forEach((k, v) -> o.put("v." + k, NdTensors.fromNd(v, DataType.FLOAT32)));
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), o, Map.of());
            if (weights.reference() != null) {
                SafetensorsWriter.write(tmp.resolve(REFERENCE), NdTensors.fromNd(weights.reference()), Map.of());
            }
            if (weights.baseMerged()) {
                SafetensorsWriter.write(tmp.resolve(BASE), NdTensors.fromNd(weights.base()), Map.of());
            }
            ObjectNode s = JSON.createObjectNode();
            s.put("format", 1);
            s.put("architecture", config.architecture());
            s.put("mode", mode());
            s.put("step", optimizer.stepCount());
            s.put("skipped", optimizer.skippedCount());
            s.put("seed", seed);
            if (optimizer.scaler().isEnabled()) {
                s.put("loss_scale", optimizer.scaler().scale());
                s.put("loss_scale_growth_tracker", optimizer.scaler().growthTracker());
            }
            Files.writeString(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        });
    }

    public void load(Path directory) {
        JsonNode s;
        try {
            s = JSON.readTree(Files.readString(directory.resolve(STATE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training state " + directory.resolve(STATE), e);
        }
        String mode = mode();
        if (!mode.equals(s.path("mode").asText()) || !config.architecture().equals(s.path("architecture").asText())) {
            throw new IllegalArgumentException(directory + ": training state is for " + s.path("mode").asText()
                    + " fine-tuning of " + s.path("architecture").asText() + ", this policy is " + mode + " / "
                    + config.architecture());
        }
        JniUtils.setGradMode(false);
        AdamW optimizer = trainer.optimizer();
        copyAll(directory.resolve(TRAINABLE), optimizer.masterWeights(), "");
        copyAll(directory.resolve(OPTIMIZER), optimizer.firstMoments(), "m.");
        copyAll(directory.resolve(OPTIMIZER), optimizer.secondMoments(), "v.");
        Path base = directory.resolve(BASE);
        if (weights.lora() != null && Files.exists(base)) {
            copyAll(base, weights.base(), "");
            weights.markBaseMerged();
        }
        Path ref = directory.resolve(REFERENCE);
        if (weights.lora() == null && Files.exists(ref)) {
            copyAll(ref, weights.referenceToRestore(), "");
        }
        trainer.restore(s.path("step").asLong(), s.path("skipped").asLong());
        if (s.has("loss_scale")) {
            // a state saved without it (float32, or before loss scaling existed) starts from the configured scale
            optimizer.scaler().restore(s.path("loss_scale").asDouble(), s.path("loss_scale_growth_tracker").asInt());
        }
    }

    private static void copyAll(Path file, Map<String, NDArray> targets, String prefix) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (var e : targets.entrySet()) {
                String key = prefix + e.getKey();
                if (!f.tensors().containsKey(key)) {
                    throw new IllegalArgumentException(file + ": missing tensor '" + key + "'");
                }
                NdTensors.copyInto(e.getValue(), f.read(key), file + ": tensor '" + key + "'");
            }
        }
    }
}
