package org.prefopt.datasets.sampler;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;

/** Seeded epoch-based shuffling: each epoch visits every prompt once, in a fresh order. */
public final class UniformSampler implements PromptSampler {

    public static final String NAME = "uniform";

    private List<Example> pool;
    private long fingerprint;
    private EpochOrder order;

    @Override
    public void initialize(List<Example> pool, long seed) {
        this.pool = List.copyOf(pool);
        this.fingerprint = SamplerState.fingerprint(this.pool);
        this.order = new EpochOrder(this.pool.size(), seed);
    }

    @Override
    public List<Example> next(int count) {
        requireInitialized();
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(pool.get(order.next()));
        }
        return out;
    }

    /** Completed epochs plus the fraction of the current one. */
    public double epochProgress() {
        requireInitialized();
        return order.epoch() + (double) order.position() / pool.size();
    }

    @Override
    public byte[] saveState() {
        requireInitialized();
        return SamplerState.write(NAME, fingerprint, out -> {
            order.writeTo(out);
        });
    }

    @Override
    public void restoreState(byte[] state) {
        requireInitialized();
        SamplerState.read(state, NAME, fingerprint, pool.size(), in -> {
            order = EpochOrder.readFrom(in, pool.size());
        });
    }

    private void requireInitialized() {
        if (pool == null) {
            throw new IllegalStateException("call initialize(pool, seed) before using the sampler");
        }
    }
}
