package org.prefopt.launcher.sweep;

import java.util.Map;
import org.prefopt.launcher.evaluation.EvalSummary;

/**
 * What one variant produced, as read back from its run directory.
 *
 * @param variant     the variant
 * @param state       the sweep's record of it
 * @param steps       training steps in its metrics (forked ones included)
 * @param forkStep    the step it was forked at (0 when it started from scratch)
 * @param evaluations its last evaluation of each eval set
 */
public record VariantOutcome(Variant variant, VariantState state, int steps, int forkStep,
                             Map<String, EvalSummary> evaluations) {

    /** Steps this variant trained itself (after the fork). */
    public int ownSteps() {
        return steps - forkStep;
    }
}
