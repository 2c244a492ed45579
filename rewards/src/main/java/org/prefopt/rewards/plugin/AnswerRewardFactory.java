package org.prefopt.rewards.plugin;

import com.google.inject.Module;
import com.typesafe.config.Config;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;

/** {@code gsm8k-answer} (numbers only, exact) and {@code math-answer} (numbers, LaTeX, structure, CAS). */
public final class AnswerRewardFactory implements ComponentFactory<RewardFunction> {

    private final String name;
    private final String description;
    private final boolean symbolic;

    private AnswerRewardFactory(String name, String description, boolean symbolic) {
        this.name = name;
        this.description = description;
        this.symbolic = symbolic;
    }

    public static AnswerRewardFactory gsm8k() {
        return new AnswerRewardFactory("gsm8k-answer",
                "1 if the final number equals the GSM8K answer exactly (as rationals), else 0", false);
    }

    public static AnswerRewardFactory math() {
        return new AnswerRewardFactory("math-answer",
                "1 if the final answer equals the MATH answer (numbers, LaTeX, tuples/sets, symbolic via Symja), else 0",
                true);
    }

    @Override
    public Slot<RewardFunction> slot() {
        return Slot.REWARD;
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
    public void validate(Config options, OptionProblems problems) {
        AnswerRewardOptions.validate(options, problems);
    }

    @Override
    public Module module(Config options) {
        AnswerRewardOptions o = AnswerRewardOptions.from(options, symbolic);
        return binder -> binder.bind(RewardFunction.class).toInstance(new AnswerReward(name, o));
    }
}
