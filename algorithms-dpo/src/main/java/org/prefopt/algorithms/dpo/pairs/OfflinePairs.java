package org.prefopt.algorithms.dpo.pairs;

import java.util.Arrays;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.TextTokenizer;

/**
 * Pairs read from examples that carry {@code chosen} and {@code rejected} texts in their attributes (the
 * preference-pair convention of prefopt datasets). Each completion is tokenized and ends with an EOS token,
 * as TRL's DPO trainer does, so the policy also learns where the preferred answer stops.
 */
public final class OfflinePairs {

    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";

    private OfflinePairs() {
    }

    /**
     * @param promptTokens the rendered, tokenized prompt of {@code example}
     * @throws IllegalArgumentException naming the example's origin when a text is missing
     */
    public static PreferencePair of(Example example, int[] promptTokens, TextTokenizer tokenizer) {
        String chosen = example.attributes().get(CHOSEN);
        String rejected = example.attributes().get(REJECTED);
        if ((chosen == null || rejected == null) && example.attributes().containsKey(LabelledCompletion.LABEL)) {
            throw new IllegalArgumentException("example '" + example.id() + "' (" + example.origin() + ") is an"
                    + " unpaired record (a completion with a label): only loss-type = kto trains on those; the"
                    + " pairwise losses need prompt/chosen/rejected records");
        }
        if (chosen == null || rejected == null) {
            throw new IllegalArgumentException("example '" + example.id() + "' (" + example.origin() + ") has no '"
                    + (chosen == null ? CHOSEN : REJECTED) + "' text: algorithm.pairs = offline needs a preference"
                    + " dataset (e.g. preference-jsonl with prompt/chosen/rejected); use pairs = online to build"
                    + " pairs from rewarded samples instead");
        }
        return new PreferencePair(example,
                new org.prefopt.api.model.TokenSequence(promptTokens, withEos(tokenizer.encode(chosen), tokenizer)),
                new org.prefopt.api.model.TokenSequence(promptTokens, withEos(tokenizer.encode(rejected), tokenizer)));
    }

    static int[] withEos(int[] tokens, TextTokenizer tokenizer) {
        // several EOS ids are common (e.g. <|endoftext|> and <|im_end|>); the smallest is a stable choice
        return tokenizer.eosTokenIds().stream().min(Integer::compare).map(eos -> {
            int[] out = Arrays.copyOf(tokens, tokens.length + 1);
            out[tokens.length] = eos;
            return out;
        }).orElse(tokens);
    }
}
