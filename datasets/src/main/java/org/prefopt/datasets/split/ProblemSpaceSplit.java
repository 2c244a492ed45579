package org.prefopt.datasets.split;

import java.nio.charset.StandardCharsets;
import org.prefopt.api.data.PromptKey;
import org.prefopt.datasets.random.SplitMix64;

/**
 * A fixed partition of a generator's problem space into a train side and a held-out side, decided by the problem
 * alone: a hash of its normalised prompt ({@link PromptKey}, the rule the overlap check uses) against the held-out
 * share. Unlike {@link Splits#heldOut}, which splits one given list, it does not depend on the dataset's seed, count or
 * filters, so no training set drawn from the train side, whatever its seed or size, can ever contain a problem of any
 * evaluation set drawn from the held-out side: unseen by construction.
 *
 * @param side          which side a generator draws from ({@link SplitSide#ALL}: no split)
 * @param heldOutShare  the share of the problem space on the held-out side, in (0, 1)
 */
public record ProblemSpaceSplit(SplitSide side, double heldOutShare) {

    /** No split: every problem is drawn. */
    public static final ProblemSpaceSplit NONE = new ProblemSpaceSplit(SplitSide.ALL, 0.25);

    public ProblemSpaceSplit {
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new IllegalArgumentException("held-out share must be strictly between 0 and 1 (got "
                    + heldOutShare + ")");
        }
    }

    /** Whether the problem with this prompt lies on this split's side. */
    public boolean contains(String prompt) {
        return side == SplitSide.ALL || isHeldOut(prompt, heldOutShare) == (side == SplitSide.HELD_OUT);
    }

    /** Whether {@code prompt} is on the held-out side of a split with this share. */
    public static boolean isHeldOut(String prompt, double heldOutShare) {
        return unit(PromptKey.of(prompt)) < heldOutShare;
    }

    /** FNV-1a over the UTF-8 bytes, finished with SplitMix64's mixer: fixed by definition, not by a JDK version. */
    private static double unit(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (SplitMix64.mix(h) >>> 11) * 0x1.0p-53;
    }
}
