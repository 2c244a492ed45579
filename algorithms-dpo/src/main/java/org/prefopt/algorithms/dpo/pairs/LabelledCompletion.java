package org.prefopt.algorithms.dpo.pairs;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.model.TokenSequence;

/**
 * One completion labelled desirable or undesirable: what KTO trains on.
 *
 * <p>Offline, an example carries either one completion with its label (the {@code completion} and {@code label}
 * attributes of an unpaired {@code preference-jsonl} record) or a pair (the {@code chosen} and {@code rejected}
 * attributes), which gives a desirable and an undesirable completion, as TRL's {@code unpair_preference_dataset}
 * does. Online, each pair of rewarded samples gives the same two.
 */
public record LabelledCompletion(Example example, TokenSequence sequence, boolean desirable) {

    public static final String COMPLETION = "completion";
    public static final String LABEL = "label";

    public long tokenCount() {
        return (long) sequence.promptTokens().length + sequence.completionTokens().length;
    }

    /** The completions of one offline example; the texts get an EOS token as offline pairs do. */
    public static List<LabelledCompletion> of(Example example, int[] promptTokens, TextTokenizer tokenizer) {
        String completion = example.attributes().get(COMPLETION);
        String label = example.attributes().get(LABEL);
        if (completion != null && label != null) {
            if (!label.equals("true") && !label.equals("false")) {
                throw new IllegalArgumentException("example '" + example.id() + "' (" + example.origin() + ") has"
                        + " label '" + label + "': a KTO label must be true (desirable) or false (undesirable)");
            }
            return List.of(new LabelledCompletion(example, new TokenSequence(promptTokens,
                    OfflinePairs.withEos(tokenizer.encode(completion), tokenizer)), label.equals("true")));
        }
        if (example.attributes().containsKey(OfflinePairs.CHOSEN)
                && example.attributes().containsKey(OfflinePairs.REJECTED)) {
            return fromPair(OfflinePairs.of(example, promptTokens, tokenizer));
        }
        throw new IllegalArgumentException("example '" + example.id() + "' (" + example.origin() + ") has neither a"
                + " 'completion' with a 'label' nor 'chosen' and 'rejected' texts: loss-type = kto with"
                + " pairs = offline needs a preference dataset (preference-jsonl with prompt/completion/label or"
                + " prompt/chosen/rejected records); use pairs = online to label rewarded samples instead");
    }

    /** A pair as two labelled completions: chosen desirable, rejected undesirable. */
    public static List<LabelledCompletion> fromPair(PreferencePair pair) {
        List<LabelledCompletion> out = new ArrayList<>(2);
        out.add(new LabelledCompletion(pair.example(), pair.chosen(), true));
        out.add(new LabelledCompletion(pair.example(), pair.rejected(), false));
        return out;
    }
}
