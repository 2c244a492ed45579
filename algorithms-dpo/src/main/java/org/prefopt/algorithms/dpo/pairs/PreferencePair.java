package org.prefopt.algorithms.dpo.pairs;

import org.prefopt.api.data.Example;
import org.prefopt.api.model.TokenSequence;

/** A prompt with a preferred and a dispreferred completion, tokenized. */
public record PreferencePair(Example example, TokenSequence chosen, TokenSequence rejected) {

    /** Prompt plus completion tokens of both sequences. */
    public long tokenCount() {
        return (long) chosen.promptTokens().length + chosen.completionTokens().length
                + rejected.promptTokens().length + rejected.completionTokens().length;
    }
}
