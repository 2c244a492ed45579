package org.prefopt.launcher.training.fakes;

import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.BackendInfo;

/** Records the seeds the loop gives it. */
public final class FakeBackend implements Backend {

    public final List<Long> seeds = new ArrayList<>();

    @Override
    public BackendInfo info() {
        return new BackendInfo("fake", "0", "cpu", "float64", 1);
    }

    @Override
    public void seed(long seed) {
        seeds.add(seed);
    }


    @Override
    public void close() {
    }
}
