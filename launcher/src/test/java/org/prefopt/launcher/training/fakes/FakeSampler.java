package org.prefopt.launcher.training.fakes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptOutcome;
import org.prefopt.api.data.PromptSampler;

/**
 * Draws with replacement from a hash of (seed, draw count); its state is the draw count and the number of
 * outcomes observed. It leans on observed outcomes too (skips prompts whose last group was all correct once), so
 * that losing {@code observe} state on resume would change the draws.
 */
public final class FakeSampler implements PromptSampler {

    private List<Example> pool;
    private long seed;
    private long draws;
    private long observed;
    private long solved;

    @Override
    public void initialize(List<Example> pool, long seed) {
        this.pool = List.copyOf(pool);
        this.seed = seed;
        this.draws = 0;
        this.observed = 0;
        this.solved = 0;
    }

    @Override
    public List<Example> next(int count) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long h = mix(seed + 31 * draws++ + solved);
            out.add(pool.get((int) Math.floorMod(h, (long) pool.size())));
        }
        return out;
    }

    @Override
    public void observe(List<PromptOutcome> outcomes) {
        for (PromptOutcome o : outcomes) {
            observed++;
            boolean all = true;
            for (double r : o.rewards()) {
                all &= r >= 1.0;
            }
            if (all) {
                solved++;
            }
        }
    }

    public long observed() {
        return observed;
    }

    @Override
    public byte[] saveState() {
        return ByteBuffer.allocate(24).putLong(draws).putLong(observed).putLong(solved).array();
    }

    @Override
    public void restoreState(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state);
        draws = b.getLong();
        observed = b.getLong();
        solved = b.getLong();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
