package org.prefopt.launcher.evaluation;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The headline numbers of one evaluation (the full detail is in the summary file).
 *
 * @param set          eval set name
 * @param step         training step evaluated (0 = before training)
 * @param greedy       greedy pass@1 overall, or null when the set has no greedy pass
 * @param greedyTiers  greedy pass@1 per tier ("1", "2", ..., "unknown"), empty without a greedy pass
 * @param meanAtK      sampled mean@k overall, or null without sampling
 * @param summaryFile  the written {@code eval/<set>/step-<N>.json}
 * @param trainingOverlap for each training pool that shares prompts with the set, how many of its examples; empty
 *                     for a set no training pool shares a prompt with (or a summary written before it was recorded)
 */
public record EvalSummary(String set, int step, Proportion greedy, Map<String, Proportion> greedyTiers,
                          Estimate meanAtK, Path summaryFile,
                          Map<String, Integer> trainingOverlap) {

    public EvalSummary {
        trainingOverlap = Collections.unmodifiableMap(new LinkedHashMap<>(trainingOverlap));
    }

    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        if (greedy != null) {
            sb.append(String.format(Locale.ROOT, "pass@1 %.3f [%.3f, %.3f] (%d/%d)", greedy.value(), greedy.low(),
                    greedy.high(), greedy.correct(), greedy.n()));
            greedyTiers.forEach((tier, p) -> sb.append(String.format(Locale.ROOT, " tier %s %.3f", tier, p.value())));
        }
        if (meanAtK != null) {
            sb.append(String.format(Locale.ROOT, "%smean@k %.3f", sb.length() > 0 ? "; " : "", meanAtK.mean()));
        }
        return sb.toString();
    }
}
