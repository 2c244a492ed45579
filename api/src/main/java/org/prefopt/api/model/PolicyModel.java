package org.prefopt.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trainable language model with its tokenizer: generates, scores and learns.
 *
 * <p>Training is split in two calls so that algorithms choose micro-batching and accumulation:
 * {@link #accumulateGradients} (any number of times) then {@link #optimizerStep()}.
 */
public interface PolicyModel extends AutoCloseable {

    PolicyInfo info();

    /**
     * This policy as {@code type}, when it offers that optional capability (as {@link Backend#unwrap(Class)}), e.g.
     * {@link org.prefopt.api.bench.GenerationOps} for benchmarks. The default returns this policy when it implements
     * {@code type}.
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    TextTokenizer tokenizer();

    /** Generates completions for every request; completions of one request share its prefill. */
    List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params);

    /** Per-token log-probs (and entropies if asked) without gradients. */
    List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy);

    /**
     * Forward pass with gradients on {@code batch}, evaluation of {@code loss} on the resulting scores, and
     * back-propagation of its gradients into the accumulated parameter gradients.
     *
     * @return the scores seen by the loss (detached) and the loss value
     */
    AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy);

    /**
     * Clips, applies the optimizer update with the scheduled learning rate, and clears gradients.
     * Non-finite gradients are cleared without an update.
     */
    OptimizerStepResult optimizerStep();

    /**
     * The optimizer's own per-step metrics after the last {@link #optimizerStep()}, which the training loop adds to
     * each step's line: under float16 loss scaling {@code loss_scale} (the scale the next step uses) and
     * {@code skipped_steps} (updates skipped so far). Empty by default.
     */
    default Map<String, Double> optimizerMetrics() {
        return Map.of();
    }

    /**
     * Makes the current model the reference of {@link ScoringMode#REFERENCE} scoring from now on, as when a training
     * phase starts from the result of the previous one: DPO, or GRPO with a KL term, after an SFT warm start compares
     * with the SFT model, not with the initialisation. Under full fine-tuning the current weights are copied (when
     * the policy keeps a reference copy at all); under LoRA the adapters are merged into the frozen base and start
     * again from zero with fresh optimizer moments, so "adapters off" is the current model. The new reference is part
     * of the training state written by {@link #saveTrainingState}.
     */
    void resetReference();

    /**
     * Trains at this constant learning rate from now on instead of the policy's own schedule (a stage's own rate,
     * e.g. GRPO after SFT); {@code 0} returns to the schedule. Not part of the training state: the training loop sets
     * it whenever it enters a stage, resumed or not.
     */
    void overrideLearningRate(double learningRate);

    /** Everything needed to resume training exactly: trainable weights, optimizer and schedule state, RNG. */
    void saveTrainingState(Path directory);

    void loadTrainingState(Path directory);

    /**
     * Writes the model for other tools: a PEFT adapter directory, or (with {@code mergeAdapters}, or for full
     * fine-tuning) a Hugging Face checkpoint directory with tokenizer files.
     *
     * @throws IllegalStateException when the policy cannot be written that way (the message says why and what to
     *                               ask for instead)
     */
    void export(Path directory, boolean mergeAdapters);

    /**
     * Whether this policy trains adapters over frozen base weights (LoRA), so that {@link #export} without merging
     * writes an adapter; false under full fine-tuning, which exports a whole checkpoint.
     */
    default boolean trainsAdapters() {
        return false;
    }

    /**
     * Writes the model (adapters merged) as an ONNX decoder with a KV cache in Hugging Face Optimum's
     * {@code text-generation-with-past} layout ({@code model.onnx}, {@code config.json}, tokenizer files), for ONNX
     * Runtime, transformers.js or Optimum. A policy that cannot says so.
     */
    default void exportOnnx(Path directory) {
        exportOnnx(directory, OnnxExportOptions.DEFAULT);
    }

    /** {@link #exportOnnx(Path)} in the form {@code options} asks for. */
    default void exportOnnx(Path directory, OnnxExportOptions options) {
        throw new UnsupportedOperationException("policy '" + info().name() + "' cannot be exported to ONNX");
    }

    @Override
    void close();

    /** Result of {@link #accumulateGradients}. */
    record AccumulationResult(double loss, List<SequenceScores> scores) {
    }
}
