package org.prefopt.api.model;

/**
 * One prompt to complete {@code numCompletions} times. Completions of one request share the prompt's prefill.
 *
 * @param id           caller's identifier, echoed in the result
 * @param promptTokens the rendered, tokenized prompt
 */
public record GenerationRequest(String id, int[] promptTokens, int numCompletions) {

    public GenerationRequest {
        if (numCompletions < 1) {
            throw new IllegalArgumentException("numCompletions must be at least 1 (got " + numCompletions + ")");
        }
    }
}
