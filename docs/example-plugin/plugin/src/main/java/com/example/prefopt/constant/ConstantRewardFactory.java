package com.example.prefopt.constant;

import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;

/** {@code reward = [ { type = constant, value = 0.5, per-word = 0.01 } ]} */
public final class ConstantRewardFactory implements ComponentFactory<RewardFunction> {

    @Override
    public Slot<RewardFunction> slot() {
        return Slot.REWARD;
    }

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "a fixed reward plus an optional amount per word of the completion";
    }

    @Override
    public Module module(Config options) {
        // Read options here, not later: the contract test checks that every default is read.
        double value = options.getDouble("value");
        double perWord = options.getDouble("per-word");
        return binder -> binder.bind(RewardFunction.class).toInstance(new ConstantReward(value, perWord));
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        problems.requireRange(options, "value", -1.0, 1.0);
    }
}
