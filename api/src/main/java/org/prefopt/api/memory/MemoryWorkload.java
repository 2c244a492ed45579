package org.prefopt.api.memory;

/**
 * What a run asks of its policy, in the sizes that memory depends on. The host derives it from the run file (the
 * algorithm's batch sizes, the generation and evaluation sections, the backend and the engine) without creating
 * anything.
 *
 * @param device            the backend's device ({@code cpu}, {@code cuda:0}, ...)
 * @param dtype             the backend's dtype ({@code float32}, {@code float16})
 * @param engine            the rollout engine's type ({@code policy} when the policy generates)
 * @param engineDtype       the dtype of the engine's weights and KV cache (the backend's when the policy generates)
 * @param generationPrompts distinct prompts generated together (each prefilled once)
 * @param generationRows    sequences generated together (prompts x completions per prompt): the KV cache's rows
 * @param promptTokens      the longest prompt, in tokens (an assumption the run file states, see memory.prompt-tokens)
 * @param newTokens         the most tokens generated per completion
 * @param trainingRows      sequences in one training micro-batch (forward and backward together)
 * @param trainingCompletionTokens the most completion tokens of a training sequence (where logits are computed)
 */
public record MemoryWorkload(String device, String dtype, String engine, String engineDtype, int generationPrompts,
                             int generationRows, int promptTokens, int newTokens, int trainingRows, int trainingCompletionTokens) {

    public MemoryWorkload {
        if (generationPrompts < 0 || generationRows < generationPrompts || promptTokens < 1 || newTokens < 0
                || trainingRows < 0 || trainingCompletionTokens < 0) {
            throw new IllegalArgumentException("inconsistent workload: generation " + generationPrompts + " prompts / "
                    + generationRows + " rows, " + promptTokens + " prompt tokens, " + newTokens + " new tokens, "
                    + trainingRows + " training rows of " + trainingCompletionTokens + " completion tokens");
        }
    }

    /** Tokens of a training sequence: prompt and completion. */
    public int trainingSequenceTokens() {
        return promptTokens + trainingCompletionTokens;
    }

    public boolean onCpu() {
        return device.equals("cpu");
    }
}
