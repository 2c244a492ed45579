package org.prefopt.algorithms.grpo;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;

/** {@code algorithm { type = grpo }}. */
public final class GrpoFactory implements ComponentFactory<Algorithm> {

    @Override
    public Slot<Algorithm> slot() {
        return Slot.ALGORITHM;
    }

    @Override
    public String name() {
        return "grpo";
    }

    @Override
    public String description() {
        return "Group Relative Policy Optimization with TRL's loss variants (grpo, bnpo, dr-grpo, dapo), clipping and KL";
    }

    @Override
    public Module module(Config options) {
        GrpoOptions parsed = GrpoOptions.from(options);
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Algorithm.class).toInstance(new GrpoAlgorithm(parsed));
            }
        };
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        GrpoOptions.validate(options, problems);
    }
}
