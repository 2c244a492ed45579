package org.prefopt.backends.djl.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyModel.AccumulationResult;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.DjlCompute;
import org.prefopt.backends.djl.weights.PolicyWeights;

/**
 * Trains a policy's weights: accumulates gradients over micro-batches, then one AdamW step. Owns the optimizer and
 * the dropout seeds, which derive from (seed, step, call) so that a resumed run draws the same masks.
 */
public final class PolicyTrainer {

    /** Metric names of the loss scaler, as the issue and TRL users read them. */
    public static final String LOSS_SCALE = "loss_scale";
    public static final String SKIPPED_STEPS = "skipped_steps";

    private final PolicyWeights weights;
    private final SequenceScorer scorer;
    private final AdamW optimizer;
    private final long seed;
    private long accumulateCalls;

    /** @param lossScale dynamic loss scaling, used when {@code compute} is float16 (float32 needs none) */
    public PolicyTrainer(DjlCompute compute, PolicyWeights weights, SequenceScorer scorer, OptimizerSettings settings,
                         LossScaleSettings lossScale, long seed, NDManager manager) {
        this.weights = weights;
        this.scorer = scorer;
        this.seed = seed;
        GradScaler scaler = compute.dtype() == DataType.FLOAT16 ? GradScaler.enabled(lossScale)
                : GradScaler.disabled();
        this.optimizer = new AdamW(settings, weights.trainable(), manager, scaler);
    }

    /**
     * {@code loss_scale} (the scale the next step's gradients get) and {@code skipped_steps} (updates skipped so far,
     * overflows included) while loss scaling is on; empty in float32.
     */
    public Map<String, Double> metrics() {
        if (!optimizer.scaler().isEnabled()) {
            return Map.of();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(LOSS_SCALE, optimizer.scaler().scale());
        m.put(SKIPPED_STEPS, (double) optimizer.skippedCount());
        return m;
    }

    /** The optimizer, whose moments and counters the training state saves and restores. */
    public AdamW optimizer() {
        return optimizer;
    }

    /** Optimizer updates applied so far (a skipped one does not count, so it does not advance the schedule). */
    public long stepCount() {
        return optimizer.stepCount();
    }

    public AccumulationResult accumulate(List<TokenSequence> batch, TokenLoss loss, boolean withEntropy) {
        // dropout masks derive from (seed, step, call) so resumed runs match
        long callSeed = seed * 1_000_003L + optimizer.stepCount() * 10_007L + accumulateCalls++;
        if (weights.lora() != null) {
            weights.lora().seedDropout(callSeed);
        }
        boolean headTrainable = weights.lora() == null;
        return scorer.accumulate(weights.base(), weights.lora(), batch, loss, withEntropy, headTrainable,
                optimizer.scaler().scale());
    }

    public OptimizerStepResult step() {
        weights.keepReferenceBeforeUpdate();
        accumulateCalls = 0;
        return optimizer.step();
    }

    public void overrideLearningRate(double learningRate) {
        optimizer.overrideLearningRate(learningRate);
    }

    /** After the reference moved under LoRA: the adapters start over, so do their moments. */
    public void resetMoments() {
        optimizer.resetMoments();
    }

    /** Continues from a saved state: its step counters, no gradients, the first call of a step next. */
    public void restore(long stepCount, long skippedCount) {
        optimizer.restore(stepCount, skippedCount);
        optimizer.refreshWorkingCopies();
        optimizer.zeroGradients();
        accumulateCalls = 0;
    }
}
