package org.prefopt.algorithms.dpo.pairs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.TokenSequence;

/**
 * Pairs from one prompt's rewarded samples (iterative / online DPO with verifiable rewards): completions are
 * ranked by total reward (ties by sampling order); the k-th best is paired with the k-th worst for
 * {@code k < pairs-per-prompt}, as long as they are distinct completions and the better one's reward exceeds the
 * worse one's by more than {@code min-reward-margin}. With a 0/1 correctness reward this pairs correct with
 * incorrect answers; a prompt whose samples all agree yields no pair.
 */
public final class OnlinePairs {

    private OnlinePairs() {
    }

    public static List<PreferencePair> of(ScoredGroup group, int pairsPerPrompt, double minRewardMargin) {
        List<Completion> completions = group.group().completions();
        double[] totals = group.totals();
        int[] order = IntStream.range(0, totals.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -totals[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        int[] prompt = group.group().promptTokens();
        List<PreferencePair> pairs = new ArrayList<>();
        for (int k = 0; k < pairsPerPrompt; k++) {
            int best = order[k];
            int worst = order[order.length - 1 - k];
            if (k >= order.length - 1 - k || !(totals[best] - totals[worst] > minRewardMargin)) {
                break;
            }
            pairs.add(new PreferencePair(group.example(),
                    new TokenSequence(prompt, completions.get(best).tokens()),
                    new TokenSequence(prompt, completions.get(worst).tokens())));
        }
        return pairs;
    }
}
