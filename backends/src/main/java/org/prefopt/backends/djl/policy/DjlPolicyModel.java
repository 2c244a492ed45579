package org.prefopt.backends.djl.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyInfo;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.DjlBackend;
import org.prefopt.backends.djl.generation.Generator;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsFile;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorData;

/**
 * A Llama/Qwen2 policy on DJL PyTorch: generation, scoring, gradient accumulation, AdamW, LoRA or full
 * fine-tuning, resumable training state and export.
 */
public final class DjlPolicyModel implements PolicyModel {

    static final String TRAINABLE = "trainable.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "state.json";
    static final String REFERENCE = "reference.safetensors";
    /** LoRA base weights, saved once {@link #resetReference()} has merged adapters into them. */
    static final String BASE = "base.safetensors";
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "chat_template.jinja");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final DjlBackend backend;
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private final LoraAdapters lora;
    private final Map<String, NDArray> trainable;
    private final TextTokenizer tokenizer;
    private final Path tokenizerDir;
    private final PolicySettings settings;
    private final Decoder decoder;
    private final Generator generator;
    private final org.prefopt.backends.djl.training.SequenceScorer scorer;
    private final org.prefopt.backends.djl.training.AdamW optimizer;
    private Map<String, NDArray> reference;
    private boolean baseMerged;
    private long accumulateCalls;

    /**
     * @param weights      base weights (owned from now on, allocated under {@code manager})
     * @param tokenizerDir directory whose tokenizer files are copied on export
     */
    public DjlPolicyModel(String name, DjlBackend backend, ModelConfig config, NDManager manager,
                          Map<String, NDArray> weights, TextTokenizer tokenizer, Path tokenizerDir,
                          PolicySettings settings) {
        this.name = name;
        this.backend = backend;
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.tokenizerDir = tokenizerDir;
        this.settings = settings;
        this.decoder = new Decoder(config, backend.dtype(), manager);
        JniUtils.setGradMode(false);
        if (settings.lora() != null) {
            lora = LoraAdapters.create(manager, config, settings.lora(), settings.seed());
            if (settings.loraAdapter() != null) {
                lora.loadWeights(settings.loraAdapter().resolve(LoraAdapters.PEFT_WEIGHTS));
            }
            trainable = lora.parameters();
        } else {
            lora = null;
            trainable = new LinkedHashMap<>(weights);
        }
        trainable.values().forEach(a -> a.setRequiresGradient(true));
        this.generator = new Generator(decoder, manager);
        this.scorer = new org.prefopt.backends.djl.training.SequenceScorer(decoder, manager,
                settings.logitsChunkTokens(), settings.gradientCheckpointing());
        this.optimizer = new org.prefopt.backends.djl.training.AdamW(settings.optimizer(), trainable, manager);
    }

    public ModelConfig config() {
        return config;
    }

    /** Float32 logits (batch, tokens, vocab) of left-padded sequences, for tests and tools. */
    public float[] logits(int[][] sequences, ScoringMode mode) {
        JniUtils.setGradMode(false);
        try (NDManager m = manager.newSubManager()) {
            var batch = org.prefopt.backends.djl.model.Batch.leftPadded(m, sequences);
            Map<String, NDArray> w = weightsFor(mode);
            return decoder.logits(w, decoder.forward(w, loraFor(mode), false, batch, null)).toFloatArray();
        }
    }

    /** Names of the trainable arrays (PEFT names under LoRA, Hugging Face names under full fine-tuning). */
    public java.util.Set<String> trainableNames() {
        return java.util.Collections.unmodifiableSet(trainable.keySet());
    }

    /** Diagnostics: a float32 copy of the gradient accumulated so far for a trainable array. */
    public float[] gradient(String trainableName) {
        NDArray g = trainable.get(trainableName).getGradient();
        try {
            return g.toType(DataType.FLOAT32, false).toFloatArray();
        } finally {
            g.close();
        }
    }

    /** Diagnostics (finite-difference checks): adds {@code delta} to one element of a trainable array. */
    public void perturb(String trainableName, int flatIndex, float delta) {
        JniUtils.setGradMode(false);
        NDArray a = trainable.get(trainableName);
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        v[flatIndex] += delta;
        try (NDManager m = manager.newSubManager()) {
            NdTensors.copyInto(a, NdTensors.owned(m.create(v, a.getShape())));
        }
    }

    @Override
    public PolicyInfo info() {
        long params = config.parameterCount();
        long train = 0;
        for (NDArray a : trainable.values()) {
            train += a.getShape().size();
        }
        return new PolicyInfo(name, params + (lora == null ? 0 : train), train, backend.info().device(),
                backend.info().dtype());
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
        return generator.generate(weights, lora, tokenizer, requests, params);
    }

    @Override
    public List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy) {
        return scorer.score(weightsFor(mode), loraFor(mode), sequences, withEntropy);
    }

    private LoraAdapters loraFor(ScoringMode mode) {
        return mode == ScoringMode.REFERENCE ? null : lora;
    }

    private Map<String, NDArray> weightsFor(ScoringMode mode) {
        if (mode == ScoringMode.POLICY || lora != null) {
            return weights;
        }
        if (reference != null) {
            return reference;
        }
        if (optimizer.stepCount() == 0) {
            return weights; // nothing updated yet: the current weights are the reference
        }
        throw new IllegalStateException("REFERENCE scoring under full fine-tuning needs reference-copy = true "
                + "(a frozen copy of the initial weights); it is false for policy '" + name + "'");
    }

    @Override
    public AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        if (backend.dtype() != DataType.FLOAT32) {
            // DJL 0.36 casts dtypes under a NoGradGuard, so a float16 graph with float32 norms/softmax/adapters
            // would silently lose gradients; refuse instead
            throw new IllegalStateException("training needs backend dtype float32 (got " + backend.info().dtype()
                    + "); float16 serves generation and scoring only");
        }
        // dropout masks derive from (seed, step, call) so resumed runs match
        long callSeed = settings.seed() * 1_000_003L + optimizer.stepCount() * 10_007L + accumulateCalls++;
        if (lora != null) {
            lora.seedDropout(callSeed);
        }
        boolean headTrainable = lora == null;
        return scorer.accumulate(weights, lora, batch, loss, withEntropy, headTrainable);
    }

    @Override
    public OptimizerStepResult optimizerStep() {
        if (lora == null && settings.referenceCopy() && reference == null) {
            JniUtils.setGradMode(false);
            reference = copyOfWeights();
        }
        accumulateCalls = 0;
        return optimizer.step();
    }

    /** A detached copy of the current weights, owned by this model's manager (a full fine-tuning reference). */
    private Map<String, NDArray> copyOfWeights() {
        Map<String, NDArray> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> {
            NDArray c = v.duplicate();
            c.attach(manager);
            copy.put(k, c);
        });
        return copy;
    }

    @Override
    public void resetReference() {
        JniUtils.setGradMode(false);
        if (lora != null) {
            lora.mergeInto(weights);
            optimizer.resetMoments();
            baseMerged = true;
        } else if (settings.referenceCopy()) {
            if (reference == null) {
                reference = copyOfWeights();
            } else {
                weights.forEach((k, v) -> NdTensors.copyInto(reference.get(k), v));
            }
        }
        // full fine-tuning without a reference copy has no reference to move: REFERENCE scoring fails as before
    }

    @Override
    public void overrideLearningRate(double learningRate) {
        optimizer.overrideLearningRate(learningRate);
    }

    @Override
    public void saveTrainingState(Path directory) {
        AtomicFiles.writeDirectory(directory, tmp -> {
            Map<String, TensorData> t = new LinkedHashMap<>();
            trainable.forEach((k, v) -> t.put(k, NdTensors.fromNd(v, v.getDataType())));
            SafetensorsWriter.write(tmp.resolve(TRAINABLE), t, Map.of());
            Map<String, TensorData> o = new LinkedHashMap<>();
            optimizer.firstMoments().forEach((k, v) -> o.put("m." + k, NdTensors.fromNd(v, DataType.FLOAT32)));
            optimizer.secondMoments().forEach((k, v) -> o.put("v." + k, NdTensors.fromNd(v, DataType.FLOAT32)));
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), o, Map.of());
            if (reference != null) {
                Map<String, TensorData> r = new LinkedHashMap<>();
                reference.forEach((k, v) -> r.put(k, NdTensors.fromNd(v, v.getDataType())));
                SafetensorsWriter.write(tmp.resolve(REFERENCE), r, Map.of());
            }
            if (baseMerged) {
                Map<String, TensorData> b = new LinkedHashMap<>();
                weights.forEach((k, v) -> b.put(k, NdTensors.fromNd(v, v.getDataType())));
                SafetensorsWriter.write(tmp.resolve(BASE), b, Map.of());
            }
            ObjectNode s = JSON.createObjectNode();
            s.put("format", 1);
            s.put("architecture", config.architecture());
            s.put("mode", lora == null ? "full" : "lora");
            s.put("step", optimizer.stepCount());
            s.put("skipped", optimizer.skippedCount());
            s.put("seed", settings.seed());
            Files.writeString(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        });
    }

    @Override
    public void loadTrainingState(Path directory) {
        JsonNode s;
        try {
            s = JSON.readTree(Files.readString(directory.resolve(STATE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training state " + directory.resolve(STATE), e);
        }
        String mode = lora == null ? "full" : "lora";
        if (!mode.equals(s.path("mode").asText()) || !config.architecture().equals(s.path("architecture").asText())) {
            throw new IllegalArgumentException(directory + ": training state is for " + s.path("mode").asText()
                    + " fine-tuning of " + s.path("architecture").asText() + ", this policy is " + mode + " / "
                    + config.architecture());
        }
        JniUtils.setGradMode(false);
        copyAll(directory.resolve(TRAINABLE), trainable, "");
        copyAll(directory.resolve(OPTIMIZER), optimizer.firstMoments(), "m.");
        copyAll(directory.resolve(OPTIMIZER), optimizer.secondMoments(), "v.");
        Path base = directory.resolve(BASE);
        if (lora != null && Files.exists(base)) {
            copyAll(base, weights, "");
            baseMerged = true;
        }
        Path ref = directory.resolve(REFERENCE);
        if (lora == null && Files.exists(ref)) {
            if (reference == null) {
                reference = copyOfWeights();
            }
            copyAll(ref, reference, "");
        }
        optimizer.restore(s.path("step").asLong(), s.path("skipped").asLong());
        optimizer.zeroGradients();
        accumulateCalls = 0;
    }

    private static void copyAll(Path file, Map<String, NDArray> targets, String prefix) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (var e : targets.entrySet()) {
                String key = prefix + e.getKey();
                if (!f.tensors().containsKey(key)) {
                    throw new IllegalArgumentException(file + ": missing tensor '" + key + "'");
                }
                TensorData t = f.read(key);
                NDArray target = e.getValue();
                if (!new ai.djl.ndarray.types.Shape(t.shape()).equals(target.getShape())) {
                    throw new IllegalArgumentException(file + ": tensor '" + key + "' has shape "
                            + new ai.djl.ndarray.types.Shape(t.shape()) + ", expected " + target.getShape());
                }
                try (NDManager tmp = target.getManager().newSubManager()) {
                    NdTensors.copyInto(target, NdTensors.toNd(tmp, t, target.getDataType()));
                }
            }
        }
    }

    @Override
    public void export(Path directory, boolean mergeAdapters) {
        JniUtils.setGradMode(false);
        AtomicFiles.writeDirectory(directory, tmp -> {
            if (lora != null && !mergeAdapters) {
                lora.savePeft(tmp, tokenizerDir == null ? name : tokenizerDir.toString());
            } else {
                Map<String, TensorData> t = new LinkedHashMap<>();
                for (var e : weights.entrySet()) {
                    String module = e.getKey().endsWith(".weight")
                            ? e.getKey().substring(0, e.getKey().length() - ".weight".length()) : null;
                    if (lora != null && module != null && lora.covers(module)) {
                        try (NDArray merged = lora.merged(module, e.getValue())) {
                            t.put(e.getKey(), NdTensors.fromNd(merged, e.getValue().getDataType()));
                        }
                    } else {
                        t.put(e.getKey(), NdTensors.fromNd(e.getValue(), e.getValue().getDataType()));
                    }
                }
                SafetensorsWriter.write(tmp.resolve(CheckpointTensors.SINGLE), t, Map.of("format", "pt"));
                config.write(tmp.resolve("config.json"), backend.info().dtype());
            }
            copyTokenizerFiles(tmp);
        });
    }

    private void copyTokenizerFiles(Path target) throws IOException {
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

    @Override
    public void close() {
        manager.close();
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing tokenizer failed", e);
            }
        }
    }
}
