package org.prefopt.launcher.rundir;

/**
 * The loop's part of a checkpoint ({@code loop.json}). Everything random is derived from {@code seed} and the step,
 * so the seed and the position are all the RNG state the loop itself has.
 *
 * @param format       layout version of the checkpoint directory
 * @param step         last completed step (global, 1-based)
 * @param stage        index of the stage that step belonged to
 * @param stageName    that stage's name, checked on resume
 * @param seed         the run seed, checked on resume
 * @param totalSteps   run.steps when written (informational; a resume may extend the run)
 * @param metricsLines lines of metrics.jsonl written up to and including {@code step}
 * @param numTokens    cumulative tokens processed (TRL's {@code num_tokens})
 */
public record LoopState(int format, int step, int stage, String stageName, long seed, int totalSteps,
                        long metricsLines, long numTokens) {

    public static final int FORMAT = 1;
}
