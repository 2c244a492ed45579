package org.prefopt.launcher.assembly;

import com.google.inject.Injector;
import com.google.inject.Stage;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wired run: the resolved configuration and its components, looked up by their config path.
 *
 * <pre>{@code
 * PolicyModel policy = assembly.component(Slot.POLICY, "policy");
 * List<RewardFunction> rewards = assembly.components(Slot.REWARD, "reward");
 * double w = assembly.rewardWeight(1);
 * Dataset heldout = assembly.component(Slot.DATASET, "eval.sets.0.dataset");
 * }</pre>
 *
 * Closing it closes every component that is {@link AutoCloseable}, the backend last.
 */
public final class RunAssembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunAssembly.class);

    private final ResolvedRun run;
    private final Injector injector;
    private final Stage stage;
    private boolean closed;

    RunAssembly(ResolvedRun run, Injector injector, Stage stage) {
        this.run = run;
        this.injector = injector;
        this.stage = stage;
    }

    /** The resolved run configuration (see {@link ResolvedRun#config()}). */
    public Config config() {
        return run.config();
    }

    public ResolvedRun resolved() {
        return run;
    }

    /** Whether the run file configures a component at {@code path}, e.g. {@code sampler} or {@code stages.1.algorithm}. */
    public boolean has(String path) {
        return run.component(path).isPresent();
    }

    /** The component at {@code path}; fails with the list of configured paths when there is none. */
    public <T> T component(Slot<T> slot, String path) {
        return optionalComponent(slot, path).orElseThrow(() -> new IllegalArgumentException("the run configures no "
                + slot.key() + " at '" + path + "'; configured components: "
                + run.components().stream().map(c -> c.path() + " (" + c.slot().key() + " " + c.type() + ")").toList()));
    }

    public <T> Optional<T> optionalComponent(Slot<T> slot, String path) {
        Optional<ResolvedComponent> c = run.component(path);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        if (!c.get().slot().equals(slot)) {
            throw new IllegalArgumentException("'" + path + "' is a " + c.get().slot().key() + ", not a " + slot.key());
        }
        if (stage == Stage.TOOL) {
            throw new IllegalStateException("this assembly only checked the wiring (Stage.TOOL); it creates nothing");
        }
        @SuppressWarnings("unchecked")
        T instance = (T) injector.getInstance(ComponentModule.namedKey(slot, path));
        return Optional.of(instance);
    }

    /** The components of a list, e.g. {@code components(Slot.REWARD, "reward")}, in list order; empty if absent. */
    public <T> List<T> components(Slot<T> slot, String listPath) {
        List<T> out = new ArrayList<>();
        for (int i = 0; run.component(listPath + "." + i).isPresent(); i++) {
            out.add(component(slot, listPath + "." + i));
        }
        return out;
    }

    /** Weight of {@code reward[i]} (1.0 unless the run file sets {@code weight}). */
    public double rewardWeight(int i) {
        return run.config().getConfigList("reward").get(i).getDouble("weight");
    }

    /** The type name of the component at {@code path} (after {@code auto} was resolved). */
    public String type(String path) {
        return run.component(path).map(ResolvedComponent::type)
                .orElseThrow(() -> new IllegalArgumentException("no component at '" + path + "'"));
    }

    /** The injector, for launcher code that needs more than the lookups above. */
    public Injector injector() {
        return injector;
    }

    @Override
    public synchronized void close() {
        if (closed || stage == Stage.TOOL) {
            closed = true;
            return;
        }
        closed = true;
        List<ResolvedComponent> order = new ArrayList<>(run.components());
        java.util.Collections.reverse(order);
        // The backend goes last: other components (the policy) hold tensors it owns.
        order.sort(java.util.Comparator.comparing(c -> c.slot().equals(Slot.BACKEND)));
        for (ResolvedComponent c : order) {
            Object instance = injector.getInstance(ComponentModule.namedKey(c.slot(), c.path()));
            if (instance instanceof AutoCloseable closeable) {
                try {
                    RunConfigResolver.withLoader(c.component(), () -> {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.warn("closing {} '{}' at {} failed: {}", c.slot().key(), c.type(), c.path(), e.toString());
                }
            }
        }
    }
}
