package org.prefopt.api.data;

import java.util.List;

/**
 * Chooses the prompts of each training step. Its state is part of a checkpoint, so that a resumed run draws
 * exactly the prompts it would have drawn.
 */
public interface PromptSampler {

    /** Called once per run (or stage) before the first {@link #next(int)}. */
    void initialize(List<Example> pool, long seed);

    /** The prompts of the next step. */
    List<Example> next(int count);

    /** Feedback from the step that trained on prompts drawn earlier. */
    default void observe(List<PromptOutcome> outcomes) {
    }

    /** Serialised state: everything needed to continue the same sequence after {@link #restoreState(byte[])}. */
    byte[] saveState();

    void restoreState(byte[] state);
}
