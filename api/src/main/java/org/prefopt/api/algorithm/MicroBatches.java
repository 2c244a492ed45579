package org.prefopt.api.algorithm;

import java.util.ArrayList;
import java.util.List;

/** Splits a step's sequences into consecutive micro-batches for {@code PolicyModel.accumulateGradients}. */
public final class MicroBatches {

    private MicroBatches() {
    }

    /** [from, to) ranges of at most {@code size} covering 0..count. */
    public static List<int[]> ranges(int count, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("micro-batch size must be at least 1 (got " + size + ")");
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < count; from += size) {
            out.add(new int[] {from, Math.min(count, from + size)});
        }
        return out;
    }
}
