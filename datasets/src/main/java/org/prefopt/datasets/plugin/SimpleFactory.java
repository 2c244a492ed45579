package org.prefopt.datasets.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;

/**
 * A factory whose component is built directly from its options (no injected collaborators): the module binds the
 * slot type to the instance {@code create} returns. A fresh instance per module, so two runs in one JVM, or a
 * training and an evaluation dataset, never share state.
 */
final class SimpleFactory<T> implements ComponentFactory<T> {

    private final Slot<T> slot;
    private final String name;
    private final String description;
    private final Function<Config, T> create;
    private final BiConsumer<Config, OptionProblems> validate;

    SimpleFactory(Slot<T> slot, String name, String description, Function<Config, T> create,
                  BiConsumer<Config, OptionProblems> validate) {
        this.slot = slot;
        this.name = name;
        this.description = description;
        this.create = create;
        this.validate = validate;
    }

    @Override
    public Slot<T> slot() {
        return slot;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Module module(Config options) {
        T instance = create.apply(options);
        return binder -> binder.bind(slot.type()).toInstance(instance);
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        validate.accept(options, problems);
    }

    @Override
    public String toString() {
        return slot.key() + "/" + name;
    }
}
