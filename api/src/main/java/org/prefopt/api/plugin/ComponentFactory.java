package org.prefopt.api.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.memory.MemoryPlanner;

/**
 * Creates one kind of component for one slot. The launcher looks factories up by {@link #slot()} and
 * {@link #name()}, merges the user's section over the defaults found at
 * {@code prefopt.defaults.<slot>.<name>} in the plugin's {@code reference.conf}, validates, and only then
 * installs {@link #module(Config)}.
 *
 * <p>The module must bind the slot type ({@code bind(slot().type()).to(...)}) without an annotation. The launcher
 * wraps it in a {@code PrivateModule} and exposes only that binding, so everything else the module binds stays
 * private to the component.
 */
public interface ComponentFactory<T> {

    /**
     * A factory whose component is built from its options alone (no injected collaborators): the module binds the
     * slot type to the instance {@code create} returns, a fresh one per module, so two runs in one JVM, or a
     * training and an evaluation dataset, never share state.
     */
    static <T> ComponentFactory<T> of(Slot<T> slot, String name, String description,
                                      Function<Config, ? extends T> create,
                                      BiConsumer<Config, OptionProblems> validate) {
        return new DeclaredFactory<>(slot, name, description, options -> {
            T instance = create.apply(options);
            return binder -> binder.bind(slot.type()).toInstance(instance);
        }, validate);
    }

    /** {@link #of(Slot, String, String, Function, BiConsumer)} for a component with no checks beyond key and type. */
    static <T> ComponentFactory<T> of(Slot<T> slot, String name, String description,
                                      Function<Config, ? extends T> create) {
        return of(slot, name, description, create, (options, problems) -> { });
    }

    /**
     * A factory whose component needs collaborators from the injector (the policy, the backend): {@code module}
     * returns the Guice module that binds the slot type, as {@link #module(Config)} documents.
     */
    static <T> ComponentFactory<T> withModule(Slot<T> slot, String name, String description,
                                              Function<Config, Module> module,
                                              BiConsumer<Config, OptionProblems> validate) {
        return new DeclaredFactory<>(slot, name, description, module, validate);
    }

    Slot<T> slot();

    /** Lower-kebab identifier used as {@code type = <name>} in run files. */
    String name();

    /** One line for {@code prefopt plugins}. */
    String description();

    /**
     * The Guice module for this component.
     *
     * @param options the validated options: the user's section merged over the defaults, without {@code type}
     */
    Module module(Config options);

    /**
     * Checks that go beyond key and type (ranges, combinations). Add every problem to {@code problems}; do not
     * throw. The launcher reports them together with all other problems of the run file.
     */
    default void validate(Config options, OptionProblems problems) {
    }

    /** Preference among available components of the slot when the user asks for {@code type = auto}. */
    default int rank() {
        return 0;
    }

    /**
     * How this component estimates its memory for {@code prefopt validate}'s memory plan; empty when it does not
     * (the plan then says so). Policies offer one.
     */
    default Optional<MemoryPlanner> memoryPlanner() {
        return Optional.empty();
    }

    /** {@code factory} with {@code planner} as its {@link #memoryPlanner()}; everything else is {@code factory}'s. */
    static <T> ComponentFactory<T> withMemoryPlanner(ComponentFactory<T> factory, MemoryPlanner planner) {
        return new PlannedFactory<>(factory, planner);
    }

    /**
     * Whether this component can run here (native library present, device visible). Must be cheap and must not
     * load native code of other components.
     */
    default boolean isAvailable() {
        return true;
    }
}
