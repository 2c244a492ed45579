package org.prefopt.datasets.sampler;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.prefopt.datasets.random.SplitMix64;

/**
 * Indices {@code 0..n-1} in a fresh seeded permutation per epoch: every index once per epoch (sampling without
 * replacement), and the permutation of epoch {@code e} depends only on {@code (seed, e)}, so the position
 * {@code (epoch, pos)} is the whole state.
 */
final class EpochOrder {

    private final int n;
    private final long seed;
    private long epoch;
    private int pos;
    private int[] perm;

    EpochOrder(int n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("the prompt pool is empty: nothing to sample (check the dataset and"
                    + " the filters, which may have removed every example)");
        }
        this.n = n;
        this.seed = seed;
        restore(0, 0);
    }

    int next() {
        if (pos == n) {
            restore(epoch + 1, 0);
        }
        return perm[pos++];
    }

    long epoch() {
        return epoch;
    }

    int position() {
        return pos;
    }

    void restore(long epoch, int pos) {
        if (pos < 0 || pos > n) {
            throw new IllegalArgumentException("position " + pos + " outside the pool of " + n);
        }
        if (perm == null || epoch != this.epoch) {
            perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            SplitMix64.forItem(seed, epoch).shuffle(perm);
        }
        this.epoch = epoch;
        this.pos = pos;
    }

    /** Writes the whole state: seed, epoch, position (the format every sampler's checkpoint shares). */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(seed);
        out.writeLong(epoch);
        out.writeInt(pos);
    }

    /** The order {@link #writeTo} wrote, over a pool of {@code n}. */
    static EpochOrder readFrom(DataInputStream in, int n) throws IOException {
        long seed = in.readLong();
        long epoch = in.readLong();
        int pos = in.readInt();
        EpochOrder order = new EpochOrder(n, seed);
        order.restore(epoch, pos);
        return order;
    }
}
