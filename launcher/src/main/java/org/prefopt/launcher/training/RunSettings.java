package org.prefopt.launcher.training;

/**
 * Run-level loop settings (sections {@code run}, {@code checkpoint} and {@code eval.every} of the run file).
 *
 * @param seed            run seed; every random stream of the loop is derived from it and the step ({@link Seeds})
 * @param steps           total optimizer steps over all stages
 * @param logEvery        progress line every N steps (metrics.jsonl always gets every step)
 * @param checkpointEvery checkpoint every N steps; 0 = only at the end. The last step always checkpoints.
 * @param keepLast        number of checkpoints kept (older ones are deleted), at least 1
 * @param evalEvery       evaluate every N steps; 0 = only before training and at the end
 * @param evalAtStart     evaluate at step 0, before any update
 * @param onNonFinite     stop or skip a step whose loss or gradients are not finite
 * @param rewardThreads   threads scoring completions in parallel
 */
public record RunSettings(long seed, int steps, int logEvery, int checkpointEvery, int keepLast, int evalEvery,
                         boolean evalAtStart, NonFinitePolicy onNonFinite, int rewardThreads) {

    public RunSettings {
        require(steps >= 1, "run.steps must be at least 1 (got " + steps + ")");
        require(logEvery >= 1, "run.log-every must be at least 1 (got " + logEvery + ")");
        require(checkpointEvery >= 0, "checkpoint.every must be >= 0 (got " + checkpointEvery + ")");
        require(keepLast >= 1, "checkpoint.keep-last must be at least 1 (got " + keepLast + ")");
        require(evalEvery >= 0, "eval.every must be >= 0 (got " + evalEvery + ")");
        require(rewardThreads >= 1, "run.reward-threads must be at least 1 (got " + rewardThreads + ")");
        if (onNonFinite == null) {
            throw new IllegalArgumentException("onNonFinite is required");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    boolean checkpointDue(int step) {
        return step == steps || (checkpointEvery > 0 && step % checkpointEvery == 0);
    }

    boolean evalDue(int step) {
        return step == steps || (evalEvery > 0 && step % evalEvery == 0);
    }
}
