package org.prefopt.rewards.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import java.util.List;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.rewards.length.LengthReward;

/**
 * {@code length}: DAPO's overlong soft penalty. With {@code unit = tokens} the component injects the run's
 * {@link PolicyModel} and counts tokens with its tokenizer (the unit the generation limit is set in); with
 * {@code unit = characters} it needs nothing.
 */
public final class LengthRewardFactory implements ComponentFactory<RewardFunction> {

    @Override
    public Slot<RewardFunction> slot() {
        return Slot.REWARD;
    }

    @Override
    public String name() {
        return "length";
    }

    @Override
    public String description() {
        return "DAPO overlong penalty: 0 up to max-length - buffer-length, linear to -1 at max-length, -1 beyond";
    }

    @Override
    public void validate(Config c, OptionProblems problems) {
        problems.requireRange(c, "max-length", 1, Integer.MAX_VALUE);
        problems.requireRange(c, "buffer-length", 1, Integer.MAX_VALUE);
        if (c.getInt("buffer-length") > c.getInt("max-length")) {
            problems.add(c, "buffer-length", "must not exceed max-length (" + c.getInt("max-length") + ")");
        }
        problems.requireOneOf(c, "unit", List.of("characters", "tokens"));
    }

    @Override
    public Module module(Config c) {
        int max = c.getInt("max-length");
        int buffer = c.getInt("buffer-length");
        String unit = c.getString("unit");
        if (unit.equals("tokens")) {
            return new AbstractModule() {
                @Provides
                @Singleton
                RewardFunction reward(PolicyModel policy) {
                    return new LengthReward(name(), max, buffer, "tokens", s -> policy.tokenizer().encode(s).length);
                }
            };
        }
        return binder -> binder.bind(RewardFunction.class)
                .toInstance(new LengthReward(name(), max, buffer, "characters", String::length));
    }
}
