package org.prefopt.launcher.training;

import java.nio.file.Path;
import java.util.List;
import org.prefopt.launcher.evaluation.EvalSummary;

/**
 * How a run ended.
 *
 * @param firstStep      the first step this invocation ran (1, or the step after the resumed checkpoint)
 * @param lastStep       the last completed step
 * @param skippedSteps   steps skipped because of non-finite values (under {@code run.on-non-finite = skip})
 * @param lastCheckpoint the newest checkpoint, or null if none was written
 * @param evaluations    every evaluation this invocation ran, in order
 */
public record TrainingOutcome(int firstStep, int lastStep, List<Integer> skippedSteps, Path lastCheckpoint,
                              List<EvalSummary> evaluations) {

    public TrainingOutcome {
        skippedSteps = List.copyOf(skippedSteps);
        evaluations = List.copyOf(evaluations);
    }
}
