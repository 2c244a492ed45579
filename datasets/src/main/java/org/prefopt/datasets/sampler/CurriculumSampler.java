package org.prefopt.datasets.sampler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.datasets.random.SplitMix64;

/**
 * Easy-to-hard curriculum in the competence-based style (Platanios et al. 2019): the pool is ordered by difficulty
 * (unknown difficulty last, ties in a seeded random order), and step {@code t} draws uniformly, without
 * replacement within the step, from the easiest {@code c(t)} fraction of it. The competence {@code c} grows from
 * {@code start-fraction} at step 0 to 1 at step {@code steps}: linearly, or as a square root
 * ({@code c = sqrt(c0^2 + (1 - c0^2) t/T)}, more time on the hard end). After {@code steps}, the whole pool.
 */
public final class CurriculumSampler implements PromptSampler {

    public static final String NAME = "curriculum";

    public enum Schedule {
        LINEAR, ROOT;

        public static Schedule parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "root" -> ROOT;
                default -> throw new IllegalArgumentException("schedule must be 'linear' or 'root' (got '" + s + "')");
            };
        }
    }

    private final long steps;
    private final double startFraction;
    private final Schedule schedule;

    private List<Example> pool;
    private List<Example> sorted;
    private long seed;
    private long fingerprint;
    private SplitMix64 random;
    private long step;

    public CurriculumSampler(long steps, double startFraction, Schedule schedule) {
        if (steps < 1) {
            throw new IllegalArgumentException("curriculum steps must be at least 1 (got " + steps + ")");
        }
        if (!(startFraction > 0 && startFraction <= 1)) {
            throw new IllegalArgumentException("start-fraction must be in (0, 1] (got " + startFraction + ")");
        }
        this.steps = steps;
        this.startFraction = startFraction;
        this.schedule = schedule;
    }

    @Override
    public void initialize(List<Example> pool, long seed) {
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("the prompt pool is empty: nothing to sample");
        }
        this.pool = List.copyOf(pool);
        fingerprint = SamplerState.fingerprint(pool);
        sort(seed);
        random = new SplitMix64(SplitMix64.mix(seed ^ 0x5DEECE66DL));
        step = 0;
    }

    private void sort(long seed) {
        this.seed = seed;
        int[] tieBreak = new int[pool.size()];
        for (int i = 0; i < tieBreak.length; i++) {
            tieBreak[i] = i;
        }
        SplitMix64.forItem(seed, -1).shuffle(tieBreak);
        List<Integer> idx = new ArrayList<>(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer>comparingInt(i -> pool.get(i).hasDifficulty() ? pool.get(i).difficulty()
                : Integer.MAX_VALUE).thenComparingInt(i -> tieBreak[i]));
        List<Example> s = new ArrayList<>(pool.size());
        for (int i : idx) {
            s.add(pool.get(i));
        }
        sorted = List.copyOf(s);
    }

    /** The fraction of the (sorted) pool open at step {@code t}. */
    public double competence(long t) {
        double progress = Math.min(1.0, (double) t / steps);
        return switch (schedule) {
            case LINEAR -> startFraction + (1 - startFraction) * progress;
            case ROOT -> Math.sqrt(startFraction * startFraction + (1 - startFraction * startFraction) * progress);
        };
    }

    /** How many of the easiest examples step {@code t} draws from when it asks for {@code count}. */
    public int available(long t, int count) {
        int n = sorted.size();
        int open = (int) Math.min(n, Math.ceil(competence(t) * n - 1e-9));
        return Math.max(open, Math.min(count, n));
    }

    @Override
    public List<Example> next(int count) {
        if (sorted == null) {
            throw new IllegalStateException("call initialize(pool, seed) before using the sampler");
        }
        int open = available(step, count);
        step++;
        List<Example> out = new ArrayList<>(count);
        // Partial Fisher-Yates over the open prefix: distinct within the step while count <= open.
        int[] idx = new int[open];
        for (int i = 0; i < open; i++) {
            idx[i] = i;
        }
        for (int k = 0; k < count; k++) {
            int j = k % open; // more requested than open: further passes over the prefix
            int r = j + random.nextInt(open - j);
            int t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
            out.add(sorted.get(idx[j]));
        }
        return out;
    }

    public long step() {
        return step;
    }

    @Override
    public byte[] saveState() {
        if (sorted == null) {
            throw new IllegalStateException("call initialize(pool, seed) before using the sampler");
        }
        return SamplerState.write(NAME, fingerprint, out -> {
            out.writeLong(seed);
            out.writeLong(step);
            out.writeLong(random.state());
        });
    }

    @Override
    public void restoreState(byte[] state) {
        if (sorted == null) {
            throw new IllegalStateException("call initialize(pool, seed) with the run's pool before restoreState");
        }
        SamplerState.read(state, NAME, fingerprint, sorted.size(), in -> {
            long savedSeed = in.readLong();
            if (savedSeed != seed) {
                sort(savedSeed); // the tie order is part of the sequence
            }
            step = in.readLong();
            random = new SplitMix64(in.readLong());
        });
    }
}
