package org.prefopt.backends.djl.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.prefopt.api.bench.GenerationOps;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.OnnxExportOptions;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyInfo;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.DjlCompute;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.djl.export.PolicyExport;
import org.prefopt.backends.onnx.export.LoraInputs;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.djl.generation.Generator;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.state.TrainingState;
import org.prefopt.backends.djl.training.PolicyTrainer;
import org.prefopt.backends.djl.training.SequenceScorer;
import org.prefopt.backends.djl.weights.PolicyWeights;

/**
 * A Llama/Qwen2/Qwen3/Mistral policy on DJL PyTorch, as the {@link PolicyModel} the launcher drives. It wires and delegates to
 * one part per job: {@link PolicyWeights} (base, adapters, trainable arrays, reference), {@link Generator},
 * {@link SequenceScorer} (scoring), {@link PolicyTrainer} (gradient accumulation, AdamW), {@link TrainingState}
 * (resumable save/load) and {@link PolicyExport} (PEFT adapter or merged Hugging Face checkpoint).
 */
public final class DjlPolicyModel implements PolicyModel, GenerationOps {

    private final String name;
    private final DjlCompute compute;
    private final ModelConfig config;
    private final NDManager manager;
    private final TextTokenizer tokenizer;
    private final Decoder decoder;
    private final PolicyWeights weights;
    private final Generator generator;
    private final SequenceScorer scorer;
    private final PolicyTrainer trainer;
    private final TrainingState state;
    private final PolicyExport export;
    private final ModelInputs inputs;
    private long weightsVersion;
    private long baseVersion;

    /**
     * @param weights      base weights (owned from now on, allocated under {@code manager})
     * @param tokenizerDir directory whose tokenizer files are copied on export
     * @param checkpointDir the Hugging Face checkpoint the weights were loaded from, or null for random weights
     */
    public DjlPolicyModel(String name, DjlCompute compute, ModelConfig config, NDManager manager,
                          Map<String, NDArray> weights, TextTokenizer tokenizer, Path tokenizerDir,
                          Path checkpointDir, PolicySettings settings) {
        this.name = name;
        this.compute = compute;
        this.config = config;
        this.manager = manager;
        this.tokenizer = tokenizer;
        this.decoder = new Decoder(config, compute.dtype(), manager);
        JniUtils.setGradMode(false);
        this.weights = PolicyWeights.create(name, manager, config, weights, settings.lora(), settings.loraAdapter(),
                settings.seed(), settings.referenceCopy());
        this.generator = new Generator(decoder, manager);
        this.scorer = new SequenceScorer(decoder, manager, settings.logitsChunkTokens(),
                settings.gradientCheckpointing());
        this.trainer = new PolicyTrainer(compute, this.weights, scorer, settings.optimizer(), settings.lossScale(),
                settings.seed(), manager);
        this.state = new TrainingState(config, settings.seed(), this.weights, trainer);
        this.export = new PolicyExport(name, compute, config, this.weights, tokenizerDir, checkpointDir);
        this.inputs = new ModelInputs(config);
    }

    public ModelConfig config() {
        return config;
    }

    /** The decoder's forward pass, for tools that compute with this policy's weights. */
    public Decoder decoder() {
        return decoder;
    }

    /** The weights and adapters this policy computes with. */
    public PolicyWeights weights() {
        return weights;
    }

    /** What {@code mode} computes with now (the reference may be the current weights before the first update). */
    public PolicyWeights.View weightsFor(ScoringMode mode) {
        return weights.forScoring(mode, trainer.stepCount() > 0);
    }

    @Override
    public PolicyInfo info() {
        long params = config.parameterCount();
        long train = weights.trainableParameterCount();
        return new PolicyInfo(name, params + (weights.lora() == null ? 0 : train), train, compute.info().device(),
                compute.info().dtype());
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
        inputs.checkGeneration(requests, params);
        PolicyWeights.View policy = weights.policy();
        return generator.generate(policy.weights(), policy.adapters(), tokenizer, requests, params);
    }

    @Override
    public OptionalDouble lastOpsPerDecodingStep() {
        return generator.lastOpsPerDecodingStep();
    }

    @Override
    public List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy) {
        inputs.checkSequences(sequences);
        PolicyWeights.View view = weightsFor(mode);
        return scorer.score(view.weights(), view.adapters(), sequences, withEntropy);
    }

    @Override
    public AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        inputs.checkSequences(batch);
        return trainer.accumulate(batch, loss, withEntropy);
    }

    @Override
    public OptimizerStepResult optimizerStep() {
        weightsVersion++;
        return trainer.step();
    }

    @Override
    public Map<String, Double> optimizerMetrics() {
        return trainer.metrics();
    }

    @Override
    public void resetReference() {
        JniUtils.setGradMode(false);
        weightsVersion++;
        baseVersion++;
        if (weights.resetReference()) {
            trainer.resetMoments();
        }
    }

    @Override
    public void overrideLearningRate(double learningRate) {
        trainer.overrideLearningRate(learningRate);
    }

    @Override
    public void saveTrainingState(Path directory) {
        state.save(directory);
    }

    @Override
    public void loadTrainingState(Path directory) {
        weightsVersion++;
        baseVersion++;
        state.load(directory);
    }

    /**
     * Changes whenever the weights the policy generates with may have changed (an optimizer step, a reference reset
     * that merges adapters, a loaded state), so an engine holding a copy knows when to take a new one.
     */
    public long weightsVersion() {
        return weightsVersion;
    }

    /**
     * Changes whenever the base weights may have changed (a reference reset that merges the adapters into them, a
     * loaded state; under full fine-tuning every step changes them too, see {@link #weightsVersion}): under LoRA an
     * engine that feeds the adapters needs a new copy of the base only when this changes.
     */
    public long baseVersion() {
        return trainsAdapters() ? baseVersion : weightsVersion;
    }

    /** Rejects what the model cannot take (ids outside the vocabulary, sequences past its context), as generate. */
    public void checkGeneration(List<GenerationRequest> requests, SamplingParams params) {
        inputs.checkGeneration(requests, params);
    }

    @Override
    public void exportOnnx(Path directory, OnnxExportOptions options) {
        exportOnnx(directory, OnnxExport.Storage.AUTO, options);
    }

    /** {@link #exportOnnx(Path)}, choosing where the weights go. */
    public void exportOnnx(Path directory, OnnxExport.Storage storage) {
        exportOnnx(directory, storage, OnnxExportOptions.DEFAULT);
    }

    /**
     * {@link #exportOnnx(Path, OnnxExportOptions)}, choosing where the weights go. With LoRA inputs the directory
     * also holds the current adapters as a PEFT adapter ({@code adapter_model.safetensors}, {@code
     * adapter_config.json}): the values to feed the graph.
     */
    public void exportOnnx(Path directory, OnnxExport.Storage storage, OnnxExportOptions options) {
        TensorDType dtype = options.float16() ? TensorDType.F16 : TensorDType.F32;
        if (!options.loraInputs()) {
            OnnxExport.write(directory, config, export.mergedTensors(dtype), export.tokenizerDir(), storage);
            return;
        }
        if (!trainsAdapters()) {
            throw new IllegalStateException("LoRA inputs: policy '" + name + "' has no LoRA adapters (full"
                    + " fine-tuning); export it without them (adapters merged is the same model)");
        }
        OnnxExport.write(directory, config, export.baseTensors(dtype), export.tokenizerDir(), storage,
                LoraInputs.of(weights.lora()), tmp -> weights.lora().savePeft(tmp, name));
    }

    /** The part that writes the policy for other tools (merged weights, tokenizer files). */
    public PolicyExport exporter() {
        return export;
    }

    @Override
    public boolean trainsAdapters() {
        return weights.lora() != null;
    }

    @Override
    public void export(Path directory, boolean mergeAdapters) {
        export.export(directory, mergeAdapters);
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
