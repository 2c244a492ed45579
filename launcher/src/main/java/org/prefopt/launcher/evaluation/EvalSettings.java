package org.prefopt.launcher.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * How evaluation judges and samples (section {@code eval} of the run file).
 *
 * <p>Correctness: a completion is correct when the reward named by {@code correctReward} is applicable and its
 * (unweighted) value is at least {@code correctThreshold}. {@code correctReward} is a reward's metric name, or
 * {@value #FIRST} (the first reward of the run's list, usually the answer checker; the default), or {@value #TOTAL}
 * (the weighted total of all applicable rewards). With the default threshold 1.0 and a 0/1 answer reward first,
 * "correct" means "the answer checker accepted the answer", unaffected by format or length bonuses.
 *
 * @param correctReward    {@value #FIRST}, {@value #TOTAL} or a reward name
 * @param correctThreshold minimum value that counts as correct
 * @param samples          default sampled completions per example (0: greedy only)
 * @param passAt           the k of the pass@k values reported (each at most the set's samples; larger ones skipped)
 * @param greedy           default for running the greedy pass
 * @param batchSize        prompts per generate call
 */
public record EvalSettings(String correctReward, double correctThreshold, int samples, List<Integer> passAt,
                           boolean greedy, int batchSize) {

    public static final String FIRST = "first";
    public static final String TOTAL = "total";

    public EvalSettings {
        Objects.requireNonNull(correctReward, "correctReward");
        passAt = List.copyOf(passAt);
        if (!Double.isFinite(correctThreshold)) {
            throw new IllegalArgumentException("eval.correct-threshold must be finite (got " + correctThreshold + ")");
        }
        if (samples < 0) {
            throw new IllegalArgumentException("eval.samples must be >= 0 (got " + samples + ")");
        }
        for (int k : passAt) {
            if (k < 1) {
                throw new IllegalArgumentException("eval.pass-at values must be >= 1 (got " + k + ")");
            }
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("eval.batch-size must be at least 1 (got " + batchSize + ")");
        }
    }

    /** Greedy pass@1 only, first reward equal to 1 counts as correct. */
    public static EvalSettings defaults() {
        return new EvalSettings(FIRST, 1.0, 0, List.of(), true, 64);
    }
}
