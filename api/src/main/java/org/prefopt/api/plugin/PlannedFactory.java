package org.prefopt.api.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import java.util.Objects;
import java.util.Optional;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.memory.MemoryPlanner;

/** The factory behind {@link ComponentFactory#withMemoryPlanner}: another factory, plus its memory planner. */
record PlannedFactory<T>(ComponentFactory<T> factory, MemoryPlanner planner) implements ComponentFactory<T> {

    PlannedFactory {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(planner, "planner");
    }

    @Override
    public Slot<T> slot() {
        return factory.slot();
    }

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public String description() {
        return factory.description();
    }

    @Override
    public Module module(Config options) {
        return factory.module(options);
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        factory.validate(options, problems);
    }

    @Override
    public int rank() {
        return factory.rank();
    }

    @Override
    public boolean isAvailable() {
        return factory.isAvailable();
    }

    @Override
    public Optional<MemoryPlanner> memoryPlanner() {
        return Optional.of(planner);
    }
}
