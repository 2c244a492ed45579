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
public record RewardResult(double value, boolean applicable, String extracted, String note) {

    public static RewardResult of(double value, String extracted, String note) {
        return new RewardResult(value, true, extracted, note);
    }

    public static RewardResult notApplicable(String note) {
        return new RewardResult(Double.NaN, false, null, note);
    }
}
