package org.prefopt.datasets.split;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptKey;
import org.prefopt.datasets.random.SplitMix64;

/** Train/eval splits and the duplicate check between them. */
public final class Splits {

    private Splits() {
    }

    /** Two disjoint lists, each in the original order, and the cross-split duplicates found. */
    public record Split(List<Example> train, List<Example> eval, List<Duplicate> duplicates) {
    }

    /** A prompt that occurs in both splits (after {@link #normalisePrompt}). */
    public record Duplicate(String trainId, String evalId, String normalisedPrompt) {
    }

    /**
     * Holds out {@code round(fraction * groups)} groups of examples for evaluation, chosen by a seeded shuffle.
     * A group is all examples with the same normalised prompt, so duplicates land on the same side and the split
     * cannot leak a prompt from train into eval.
     */
    public static Split heldOut(List<Example> all, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("held-out fraction must be in [0, 1] (got " + fraction + ")");
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            groups.computeIfAbsent(normalisePrompt(all.get(i).prompt()), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> g = new ArrayList<>(groups.values());
        int[] perm = new int[g.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        SplitMix64.forItem(seed, 0x5_9117L).shuffle(perm);
        int evalGroups = (int) Math.round(fraction * g.size());
        boolean[] isEval = new boolean[all.size()];
        for (int k = 0; k < evalGroups; k++) {
            for (int i : g.get(perm[k])) {
                isEval[i] = true;
            }
        }
        List<Example> train = new ArrayList<>();
        List<Example> eval = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (isEval[i] ? eval : train).add(all.get(i));
        }
        return new Split(train, eval, duplicates(train, eval));
    }

    /** Examples of {@code eval} whose normalised prompt also occurs in {@code train} (one entry per eval example). */
    public static List<Duplicate> duplicates(List<Example> train, List<Example> eval) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Example e : train) {
            seen.putIfAbsent(normalisePrompt(e.prompt()), e.id());
        }
        List<Duplicate> out = new ArrayList<>();
        for (Example e : eval) {
            String key = normalisePrompt(e.prompt());
            String trainId = seen.get(key);
            if (trainId != null) {
                out.add(new Duplicate(trainId, e.id(), key));
            }
        }
        return out;
    }

    /** Ids that occur more than once within one list. */
    public static Set<String> duplicateIds(List<Example> examples) {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new java.util.TreeSet<>();
        for (Example e : examples) {
            if (!seen.add(e.id())) {
                dup.add(e.id());
            }
        }
        return dup;
    }

    /**
     * The text compared for duplicates: Unicode NFKC, lower case, every run of whitespace one space, trimmed.
     * Punctuation and numbers are kept, since "3 apples" and "4 apples" are different problems.
     */
    public static String normalisePrompt(String prompt) {
        return PromptKey.of(prompt);
    }
}
