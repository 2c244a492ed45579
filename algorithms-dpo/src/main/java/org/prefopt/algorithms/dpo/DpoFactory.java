package org.prefopt.algorithms.dpo;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;

/** {@code algorithm { type = dpo }}. */
public final class DpoFactory implements ComponentFactory<Algorithm> {

    @Override
    public Slot<Algorithm> slot() {
        return Slot.ALGORITHM;
    }

    @Override
    public String name() {
        return "dpo";
    }

    @Override
    public String description() {
        return "Direct Preference Optimization (sigmoid, robust, hinge, ipo) on offline pairs or online rewarded samples";
    }

    @Override
    public Module module(Config options) {
        DpoOptions parsed = DpoOptions.from(options);
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Algorithm.class).toInstance(new DpoAlgorithm(parsed));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        DpoOptions.validate(options, problems);
    }
}
