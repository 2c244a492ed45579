package org.prefopt.api.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.prefopt.api.config.OptionProblems;

/** The factory behind {@link ComponentFactory#of} and {@link ComponentFactory#withModule}: names plus two functions. */
record DeclaredFactory<T>(Slot<T> slot, String name, String description, Function<Config, Module> moduleFor,
                          BiConsumer<Config, OptionProblems> validation) implements ComponentFactory<T> {

    DeclaredFactory {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(moduleFor, "moduleFor");
        Objects.requireNonNull(validation, "validation");
    }

    @Override
    public Module module(Config options) {
        return moduleFor.apply(options);
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        validation.accept(options, problems);
    }

    @Override
    public String toString() {
        return slot.key() + "/" + name;
    }
}
