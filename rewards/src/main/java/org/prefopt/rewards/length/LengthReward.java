package org.prefopt.rewards.length;

import java.util.function.ToIntFunction;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;

/**
 * DAPO's overlong soft punishment (Yu et al. 2025, eq. 13): 0 up to {@code max - buffer}, then falling linearly
 * to -1 at {@code max}, and -1 beyond. Length is measured by {@code measure}: characters, or tokens of the
 * policy's tokenizer.
 */
public final class LengthReward implements RewardFunction {

    private final String name;
    private final int maxLength;
    private final int bufferLength;
    private final String unit;
    private final ToIntFunction<String> measure;

    public LengthReward(String name, int maxLength, int bufferLength, String unit, ToIntFunction<String> measure) {
        if (bufferLength < 1 || bufferLength > maxLength) {
            throw new IllegalArgumentException("buffer-length must be in 1..max-length");
        }
        this.name = name;
        this.maxLength = maxLength;
        this.bufferLength = bufferLength;
        this.unit = unit;
        this.measure = measure;
    }

    @Override
    public String name() {
        return name;
    }

    /** The penalty for a completion of {@code length} units. */
    public double penalty(int length) {
        int free = maxLength - bufferLength;
        if (length <= free) {
            return 0.0;
        }
        if (length <= maxLength) {
            return (double) (free - length) / bufferLength;
        }
        return -1.0;
    }

    @Override
    public RewardResult score(Example example, String completion) {
        int length;
        try {
            length = measure.applyAsInt(completion == null ? "" : completion);
        } catch (RuntimeException e) {
            return RewardResult.notApplicable("could not measure the length: " + e.getMessage());
        }
        double p = penalty(length);
        String note = length + " " + unit + (p == 0.0 ? " (within " + (maxLength - bufferLength) + ")"
                : p == -1.0 ? " (over " + maxLength + ")" : " (in the buffer)");
        return RewardResult.of(p, Integer.toString(length), note);
    }
}
