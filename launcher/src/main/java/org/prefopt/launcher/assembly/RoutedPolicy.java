package org.prefopt.launcher.assembly;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.OnnxExportOptions;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyInfo;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.api.plugin.Slot;

/**
 * The run's policy with its generation done by the run's {@code engine}: everything else (scoring, training,
 * state, export) is the policy's own. Training, evaluation and the model commands take the policy from here, so the
 * engine is one line of config and no algorithm needs to know about it. Closing it does nothing: the assembly closes
 * the policy and the engine.
 */
public final class RoutedPolicy implements PolicyModel {

    private final PolicyModel policy;
    private final RolloutEngine engine;

    private RoutedPolicy(PolicyModel policy, RolloutEngine engine) {
        this.policy = policy;
        this.engine = engine;
    }

    /** The run's policy, generating through its engine when the run has an {@code engine} section. */
    public static PolicyModel of(RunAssembly assembly) {
        PolicyModel policy = assembly.component(Slot.POLICY, "policy");
        return assembly.optionalComponent(Slot.ENGINE, "engine")
                .filter(e -> e != RolloutEngine.POLICY)
                .<PolicyModel>map(e -> new RoutedPolicy(policy, e))
                .orElse(policy);
    }

    @Override
    public List<CompletionGroup> generate(List<GenerationRequest> requests, SamplingParams params) {
        return engine.generate(policy, requests, params);
    }

    @Override
    public PolicyInfo info() {
        return policy.info();
    }

    @Override
    public TextTokenizer tokenizer() {
        return policy.tokenizer();
    }

    @Override
    public List<SequenceScores> score(List<TokenSequence> sequences, ScoringMode mode, boolean withEntropy) {
        return policy.score(sequences, mode, withEntropy);
    }

    @Override
    public AccumulationResult accumulateGradients(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        return policy.accumulateGradients(batch, loss, withEntropy);
    }

    @Override
    public OptimizerStepResult optimizerStep() {
        return policy.optimizerStep();
    }

    @Override
    public Map<String, Double> optimizerMetrics() {
        return policy.optimizerMetrics();
    }

    @Override
    public void resetReference() {
        policy.resetReference();
    }

    @Override
    public void overrideLearningRate(double learningRate) {
        policy.overrideLearningRate(learningRate);
    }

    @Override
    public void saveTrainingState(Path directory) {
        policy.saveTrainingState(directory);
    }

    @Override
    public void loadTrainingState(Path directory) {
        policy.loadTrainingState(directory);
    }

    @Override
    public void export(Path directory, boolean mergeAdapters) {
        policy.export(directory, mergeAdapters);
    }

    @Override
    public boolean trainsAdapters() {
        return policy.trainsAdapters();
    }

    @Override
    public void exportOnnx(Path directory, OnnxExportOptions options) {
        policy.exportOnnx(directory, options);
    }

    @Override
    public void close() {
    }
}
