package org.prefopt.api.model;

/**
 * Outcome of one optimizer update.
 *
 * @param gradNorm     global L2 norm of the accumulated gradients before clipping (unscaled under loss scaling)
 * @param learningRate learning rate used for this update
 * @param applied      false when the gradients were not finite and the update was skipped (weights unchanged)
 * @param overflow     true when the update was skipped by dynamic loss scaling (float16): the scaled gradients
 *                     overflowed, the scale was backed off, and training goes on; such a skip is routine, not a
 *                     failure of the run. False whenever {@code applied}.
 */
public record OptimizerStepResult(double gradNorm, double learningRate, boolean applied, boolean overflow) {

    public OptimizerStepResult {
        if (applied && overflow) {
            throw new IllegalArgumentException("an applied update cannot have overflowed");
        }
    }

    /** An update without loss scaling. */
    public OptimizerStepResult(double gradNorm, double learningRate, boolean applied) {
        this(gradNorm, learningRate, applied, false);
    }
}
