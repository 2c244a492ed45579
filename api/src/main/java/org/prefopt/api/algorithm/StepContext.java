package org.prefopt.api.algorithm;

import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.PolicyModel;

/**
 * What the training loop offers an algorithm during one step. The loop owns the sampler, prompt template,
 * generation settings and rewards; the algorithm owns the loss and the updates.
 *
 * <p>The context records its own metrics (reward means and standard deviations per reward, completion
 * lengths, generation and reward time); the algorithm returns its metrics in {@link StepResult}.
 */
public interface StepContext {

    /** 1-based index of the step being run. */
    int step();

    /** Seed for this step, derived from the run seed and the step (the same after a resume). */
    long seed();

    PolicyModel policy();

    /** Draws the next prompts from the run's sampler. */
    List<Example> nextPrompts(int count);

    /** The rendered (prompt template, chat template) and tokenized prompt. */
    int[] promptTokens(Example example);

    /** Generates {@code completionsPerPrompt} completions per prompt with the run's generation settings. */
    List<CompletionGroup> generate(List<Example> prompts, int completionsPerPrompt);

    /** The temperature {@link #generate} samples at (score its completions at the same temperature). */
    default double samplingTemperature() {
        return 1.0;
    }

    /**
     * Scores all completions with the run's weighted rewards (in parallel) and reports the outcome to the
     * sampler. {@code groups} aligns with {@code prompts}.
     */
    List<ScoredGroup> reward(List<Example> prompts, List<CompletionGroup> groups);
}
