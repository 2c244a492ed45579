package org.prefopt.backends.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.model.TextTokenizer;

/**
 * The completions of one generation call while they are sampled: each sequence's tokens, their log-probs and why it
 * stopped (an end-of-sequence token, a stop string in its text, or the length cap), then the groups the caller gets.
 * Sequences are numbered request by request, completion by completion, so a request's sequences are consecutive.
 */
public final class CompletionBook {

    private final List<GenerationRequest> requests;
    private final TextTokenizer tokenizer;
    private final SamplingParams params;
    private final Set<Integer> eos;
    private final int[][] tokens;
    private final float[][] logprobs;
    private final int[] lengths;
    private final StopReason[] reasons;
    /** The request each sequence belongs to. */
    private final int[] promptOf;

    public CompletionBook(List<GenerationRequest> requests, TextTokenizer tokenizer, SamplingParams params) {
        this.requests = requests;
        this.tokenizer = tokenizer;
        this.params = params;
        this.eos = tokenizer.eosTokenIds();
        int total = 0;
        for (GenerationRequest r : requests) {
            if (r.promptTokens().length == 0) {
                throw new IllegalArgumentException("request '" + r.id() + "' has an empty prompt; "
                        + "at least one token is needed to condition generation");
            }
            total += r.numCompletions();
        }
        tokens = new int[total][params.maxNewTokens()];
        logprobs = new float[total][params.maxNewTokens()];
        lengths = new int[total];
        reasons = new StopReason[total];
        promptOf = new int[total];
        for (int i = 0, q = 0; i < requests.size(); i++) {
            for (int j = 0; j < requests.get(i).numCompletions(); j++, q++) {
                promptOf[q] = i;
            }
        }
    }

    /** Number of sequences (completions of all requests). */
    public int size() {
        return lengths.length;
    }

    /** The request that sequence {@code q} completes. */
    public int promptOf(int q) {
        return promptOf[q];
    }

    public boolean finished(int q) {
        return reasons[q] != null;
    }

    /** Appends a sampled token to sequence {@code q}; @return whether the sequence goes on. */
    public boolean append(int q, int token, float logprob) {
        tokens[q][lengths[q]] = token;
        logprobs[q][lengths[q]] = logprob;
        lengths[q]++;
        if (eos.contains(token)) {
            reasons[q] = StopReason.EOS;
        } else if (!params.stopStrings().isEmpty()
                && hitsStop(tokenizer, Arrays.copyOf(tokens[q], lengths[q]), params.stopStrings())) {
            reasons[q] = StopReason.STOP_STRING;
        }
        return reasons[q] == null;
    }

    /** Whether the text of {@code tokens} contains one of {@code stops} (generation stops there, text kept). */
    public static boolean hitsStop(TextTokenizer tokenizer, int[] tokens, List<String> stops) {
        String text = tokenizer.decode(tokens, true);
        for (String s : stops) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** The groups, one per request in order; sequences still going stopped at the length cap. */
    public List<CompletionGroup> groups() {
        List<CompletionGroup> groups = new ArrayList<>();
        for (int i = 0, q = 0; i < requests.size(); i++) {
            List<Completion> completions = new ArrayList<>();
            for (int j = 0; j < requests.get(i).numCompletions(); j++, q++) {
                int[] t = Arrays.copyOf(tokens[q], lengths[q]);
                completions.add(new Completion(t, tokenizer.decode(t, true), Arrays.copyOf(logprobs[q], lengths[q]),
                        reasons[q] == null ? StopReason.LENGTH : reasons[q]));
            }
            groups.add(new CompletionGroup(requests.get(i).id(), requests.get(i).promptTokens(), completions));
        }
        return groups;
    }
}
