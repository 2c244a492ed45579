package org.prefopt.api.model;

/**
 * Outcome of one optimizer update.
 *
 * @param gradNorm     global L2 norm of the accumulated gradients before clipping
 * @param learningRate learning rate used for this update
 * @param applied      false when the gradients were not finite and the update was skipped (weights unchanged)
 */
public record OptimizerStepResult(double gradNorm, double learningRate, boolean applied) {
}
