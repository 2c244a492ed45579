package org.prefopt.rewards.equivalence;

/**
 * How an {@link EquivalenceChecker} compares.
 *
 * @param symbolic      whether non-numeric answers go to the CAS (false: numbers and exact text only)
 * @param timeoutMillis the time bound of one whole comparison, CAS included
 * @param maxChars      longer answers (before normalisation) are refused as {@link Reason#TOO_LARGE}
 */
public record EquivalenceOptions(boolean symbolic, long timeoutMillis, int maxChars) {

    public static final EquivalenceOptions DEFAULT = new EquivalenceOptions(true, 800, 2_000);

    public EquivalenceOptions {
        if (timeoutMillis < 1 || maxChars < 1) {
            throw new IllegalArgumentException("timeout and max-chars must be positive");
        }
    }
}
