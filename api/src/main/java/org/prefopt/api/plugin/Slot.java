package org.prefopt.api.plugin;

import java.util.List;
import java.util.Optional;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.reward.RewardFunction;

/**
 * A pluggable position in a run. The set of slots is the architecture, so it is closed; the components that
 * fill a slot are open (any plugin jar may add one).
 *
 * @param key      the config section name, e.g. {@code algorithm}
 * @param type     the interface a component of this slot provides
 * @param multiple whether a run file holds a list of components for this slot (filters, rewards)
 */
public record Slot<T>(String key, Class<T> type, boolean multiple) {

    public static final Slot<PolicyModel> POLICY = new Slot<>("policy", PolicyModel.class, false);
    public static final Slot<Backend> BACKEND = new Slot<>("backend", Backend.class, false);
    public static final Slot<RolloutEngine> ENGINE = new Slot<>("engine", RolloutEngine.class, false);
    public static final Slot<Dataset> DATASET = new Slot<>("dataset", Dataset.class, false);
    public static final Slot<DatasetFilter> FILTER = new Slot<>("filter", DatasetFilter.class, true);
    public static final Slot<PromptSampler> SAMPLER = new Slot<>("sampler", PromptSampler.class, false);
    public static final Slot<RewardFunction> REWARD = new Slot<>("reward", RewardFunction.class, true);
    public static final Slot<Algorithm> ALGORITHM = new Slot<>("algorithm", Algorithm.class, false);

    private static final List<Slot<?>> ALL = List.of(POLICY, BACKEND, ENGINE, DATASET, FILTER, SAMPLER, REWARD, ALGORITHM);

    public static List<Slot<?>> values() {
        return ALL;
    }

    public static Optional<Slot<?>> byKey(String key) {
        return ALL.stream().filter(s -> s.key.equals(key)).findFirst();
    }

    /** Path of a component's defaults in its plugin's {@code reference.conf}. */
    public String defaultsPath(String componentName) {
        return "prefopt.defaults." + key + "." + componentName;
    }

    @Override
    public String toString() {
        return key;
    }
}
