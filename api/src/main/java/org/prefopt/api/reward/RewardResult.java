package org.prefopt.api.reward;

/**
 * A reward's verdict on one completion.
 *
 * @param value      the reward; meaningful only when {@code applicable}
 * @param applicable false when the reward cannot judge this example (e.g. unparseable gold answer); such results
 *                   are left out of means instead of counting as 0
 * @param extracted  what the reward read from the completion (e.g. the extracted answer), or null
 * @param note       why: e.g. "no \boxed{} found", "timeout comparing", "equal as rationals"
 */
public record RewardResult(double value, boolean applicable, String extracted, String note, boolean undecided) {

    /** A decided result (the usual case). */
    public RewardResult(double value, boolean applicable, String extracted, String note) {
        this(value, applicable, extracted, note, false);
    }

    public static RewardResult of(double value, String extracted, String note) {
        return new RewardResult(value, true, extracted, note);
    }

    /**
     * The reward could not reach a verdict within its limits (e.g. a CAS check that timed out) and scores
     * {@code value} anyway. Flagged, so that a timeout under load is counted as such in outputs and metrics and is
     * not mistaken for a wrong answer.
     */
    public static RewardResult undecided(double value, String extracted, String note) {
        return new RewardResult(value, true, extracted, note, true);
    }

    public static RewardResult notApplicable(String note) {
        return new RewardResult(Double.NaN, false, null, note);
    }
}
