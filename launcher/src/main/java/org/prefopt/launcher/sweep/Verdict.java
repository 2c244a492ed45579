package org.prefopt.launcher.sweep;

import java.util.List;
import org.prefopt.launcher.evaluation.PairedDifference;

/**
 * The comparison's verdict on one finding of the study: one line, "Finding 1 (accuracy plateaus as difficulty
 * rises): reproduced: ..." followed by the numbers it rests on.
 *
 * @param number    the finding's number in the study (1, 2, 3)
 * @param title     what the finding claims
 * @param outcome   {@link #REPRODUCED}, {@link #NOT_REPRODUCED} or {@link #INCONCLUSIVE}, possibly with a qualifier
 *                  ("inconclusive: direction matches")
 * @param details   the numbers
 * @param tierGains for the plateau finding, the pooled per-tier gains to plot; null otherwise or without data
 */
public record Verdict(int number, String title, String outcome, String details, TierGains tierGains) {

    public static final String REPRODUCED = "reproduced";
    public static final String NOT_REPRODUCED = "not reproduced";
    public static final String INCONCLUSIVE = "inconclusive";

    /** The paired gain of {@code variant} over {@code reference} per difficulty tier (easiest first). */
    public record TierGains(String set, String variant, String reference, List<String> tiers,
                            List<PairedDifference> gains) {
    }

    public String line() {
        return "Finding " + number + " (" + title + "): " + outcome + ": " + details;
    }
}
