package org.prefopt.launcher.training;

import java.util.List;
import java.util.Objects;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;

/**
 * One stage of a (possibly multi-stage) run, e.g. {@code sft} then {@code grpo}. Step numbering is global.
 *
 * @param name      label for logs and checkpoints, e.g. {@code grpo}
 * @param algorithm the stage's algorithm
 * @param steps     number of steps of this stage (at least 1)
 * @param pool      the stage's own training pool, or null to use the run's
 * @param sampler   the stage's own sampler, or null to use the run's
 * @param resetReference when the stage starts (not on a resume inside it), make the current model the reference
 *                  ({@code PolicyModel.resetReference}); ignored for the first stage
 * @param learningRate a constant learning rate for this stage, or 0 to follow the policy's own schedule
 * @param warmupSteps with a constant {@code learningRate}: the rate rises linearly over the stage's first steps
 *                  (step k of the stage at k / warmupSteps of it); a new stage starts with fresh optimizer moments,
 *                  whose first bias-corrected updates are full-size steps in the direction of noisy RL gradients
 */
public record Stage(String name, Algorithm algorithm, int steps, List<Example> pool, PromptSampler sampler,
                    boolean resetReference, double learningRate, int warmupSteps) {

    public Stage(String name, Algorithm algorithm, int steps, List<Example> pool, PromptSampler sampler,
                 boolean resetReference, double learningRate) {
        this(name, algorithm, steps, pool, sampler, resetReference, learningRate, 0);
    }

    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        if (steps < 1) {
            throw new IllegalArgumentException("stage '" + name + "': steps must be at least 1 (got " + steps + ")");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("stage '" + name + "': learning-rate must be a finite number >= 0"
                    + " (0 follows the policy's schedule); got " + learningRate);
        }
        if (warmupSteps < 0 || (warmupSteps > 0 && learningRate == 0)) {
            throw new IllegalArgumentException("stage '" + name + "': warmup-steps must be >= 0 and needs a constant"
                    + " learning-rate (the policy's own schedule has its own warmup-steps); got " + warmupSteps);
        }
        pool = pool == null ? null : List.copyOf(pool);
    }

    /**
     * The learning rate to override the policy's with at the {@code stageStep}-th step of this stage (1-based), or 0
     * to follow the policy's schedule.
     */
    public double learningRateAt(int stageStep) {
        return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (double) stageStep / warmupSteps);
    }

    public static Stage of(String name, Algorithm algorithm, int steps) {
        return new Stage(name, algorithm, steps, null, null, true, 0);
    }
}
