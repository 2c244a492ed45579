package org.prefopt.rewards.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.rewards.format.FormatReward;

/** {@code format}: the fraction of enabled format checks (boxed answer, think tags) a completion passes. */
public final class FormatRewardFactory implements ComponentFactory<RewardFunction> {

    @Override
    public Slot<RewardFunction> slot() {
        return Slot.REWARD;
    }

    @Override
    public String name() {
        return "format";
    }

    @Override
    public String description() {
        return "fraction of format checks passed: a \\boxed{} answer, one <think>...</think> pair";
    }

    @Override
    public void validate(Config c, OptionProblems problems) {
        if (!c.getBoolean("require-boxed") && !c.getBoolean("require-think")) {
            problems.add(c, "require-boxed", "enable require-boxed or require-think (or both); with neither the "
                    + "reward has nothing to check");
        }
        for (String key : new String[] {"think-open", "think-close"}) {
            if (c.getString(key).isEmpty()) {
                problems.add(c, key, "must not be empty");
            }
        }
        if (c.getString("think-open").equals(c.getString("think-close")) && !c.getString("think-open").isEmpty()) {
            problems.add(c, "think-close", "must differ from think-open");
        }
    }

    @Override
    public Module module(Config c) {
        FormatReward.Options o = new FormatReward.Options(c.getBoolean("require-boxed"), c.getBoolean("require-think"),
                c.getString("think-open"), c.getString("think-close"), c.getBoolean("think-at-start"),
                c.getBoolean("answer-after-think"));
        return binder -> binder.bind(RewardFunction.class).toInstance(new FormatReward(name(), o));
    }
}
