package org.prefopt.datasets.random;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose whole state is one {@code long}, so sampler state
 * can be saved and restored exactly, and whose output is fixed by its definition, not by a JDK version.
 */
public final class SplitMix64 {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for item {@code index} of stream {@code seed}: independent of how many items come before. */
    public static SplitMix64 forItem(long seed, long index) {
        return new SplitMix64(mix(seed * GOLDEN + mix(index + 0x632BE59BD9B4E019L)));
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound - 1L;
        long u = nextLong() >>> 1;
        long r = u % bound;
        while (u - r + m < 0) { // u fell in the top partial block: draw again
            u = nextLong() >>> 1;
            r = u % bound;
        }
        return (int) r;
    }

    /** Uniform in {@code [lo, hi]}. */
    public int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in {@code [0, 1)}. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
