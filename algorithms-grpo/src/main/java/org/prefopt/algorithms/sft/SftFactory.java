package org.prefopt.algorithms.sft;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;

/** {@code algorithm { type = sft }}. */
public final class SftFactory implements ComponentFactory<Algorithm> {

    @Override
    public Slot<Algorithm> slot() {
        return Slot.ALGORITHM;
    }

    @Override
    public String name() {
        return "sft";
    }

    @Override
    public String description() {
        return "Supervised warm start on the examples' reference solutions (mean token NLL)";
    }

    @Override
    public Module module(Config options) {
        SftOptions parsed = SftOptions.from(options);
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Algorithm.class).toInstance(new SftAlgorithm(parsed));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        SftOptions.validate(options, problems);
    }
}
