package org.prefopt.launcher.config;

import java.util.Collection;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean ...?" for misspelt names. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The candidate closest to {@code input}, if close enough to be a likely typo. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty()) {
            return Optional.empty();
        }
        // Allow about one edit per three characters, at least two: catches swaps and slips, not unrelated names.
        int limit = Math.max(2, input.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance.apply(input.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d >= 0 && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " Did you mean 'x'?"} or the empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> " Did you mean '" + s + "'?").orElse("");
    }
}
