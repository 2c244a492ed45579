package org.prefopt.api.model;

import java.util.List;

/** All completions of one {@link GenerationRequest}. */
public record CompletionGroup(String requestId, int[] promptTokens, List<Completion> completions) {

    public CompletionGroup {
        completions = List.copyOf(completions);
    }
}
