package org.prefopt.launcher.rollout;

/**
 * Derives every seed of a run from the run seed, a purpose and an index (the step, the stage, ...), so that a
 * resumed run draws exactly what an uninterrupted one would: nothing depends on how many draws came before.
 */
public final class Seeds {

    public static final long STEP = 1;
    public static final long GENERATION = 2;
    public static final long SAMPLER = 3;
    public static final long EVAL = 4;
    public static final long BACKEND = 5;

    private Seeds() {
    }

    public static long derive(long seed, long purpose, long index) {
        return mix(mix(seed + purpose * 0x9E3779B97F4A7C15L) + index);
    }

    /** SplitMix64's finaliser: consecutive inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
