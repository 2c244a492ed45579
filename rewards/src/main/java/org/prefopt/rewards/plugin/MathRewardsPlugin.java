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
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;
import org.prefopt.rewards.format.FormatReward;
import org.prefopt.rewards.length.LengthReward;

/** Math-answer, format and length rewards. */
public final class MathRewardsPlugin implements Plugin {

    /** {@code gsm8k-answer}: numbers only, exact. */
    public static final ComponentFactory<RewardFunction> GSM8K_ANSWER = answer("gsm8k-answer",
            "1 if the final number equals the GSM8K answer exactly (as rationals), else 0", false);

    /** {@code math-answer}: numbers, LaTeX, structure, CAS. */
    public static final ComponentFactory<RewardFunction> MATH_ANSWER = answer("math-answer",
            "1 if the final answer equals the MATH answer (numbers, LaTeX, tuples/sets, symbolic via Symja), else 0",
            true);

    /** {@code format}: the fraction of enabled format checks (boxed answer, think tags) a completion passes. */
    public static final ComponentFactory<RewardFunction> FORMAT = ComponentFactory.of(Slot.REWARD, "format",
            "fraction of format checks passed: a \\boxed{} answer, one <think>...</think> pair",
            c -> new FormatReward("format", new FormatReward.Options(c.getBoolean("require-boxed"),
                    c.getBoolean("require-think"), c.getString("think-open"), c.getString("think-close"),
                    c.getBoolean("think-at-start"), c.getBoolean("answer-after-think"))),
            MathRewardsPlugin::validateFormat);

    /**
     * {@code length}: DAPO's overlong soft penalty. With {@code unit = tokens} the component injects the run's
     * {@link PolicyModel} and counts tokens with its tokenizer (the unit the generation limit is set in); with
     * {@code unit = characters} it needs nothing.
     */
    public static final ComponentFactory<RewardFunction> LENGTH = ComponentFactory.withModule(Slot.REWARD, "length",
            "DAPO overlong penalty: 0 up to max-length - buffer-length, linear to -1 at max-length, -1 beyond",
            MathRewardsPlugin::lengthModule, MathRewardsPlugin::validateLength);

    @Override
    public String name() {
        return "rewards";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(GSM8K_ANSWER, MATH_ANSWER, FORMAT, LENGTH);
    }

    private static ComponentFactory<RewardFunction> answer(String name, String description, boolean symbolic) {
        return ComponentFactory.of(Slot.REWARD, name, description,
                c -> new AnswerReward(name, AnswerRewardOptions.from(c, symbolic)), AnswerRewardOptions::validate);
    }

    private static void validateFormat(Config c, OptionProblems problems) {
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

    private static void validateLength(Config c, OptionProblems problems) {
        problems.requireRange(c, "max-length", 1, Integer.MAX_VALUE);
        problems.requireRange(c, "buffer-length", 1, Integer.MAX_VALUE);
        if (c.getInt("buffer-length") > c.getInt("max-length")) {
            problems.add(c, "buffer-length", "must not exceed max-length (" + c.getInt("max-length") + ")");
        }
        problems.requireOneOf(c, "unit", List.of("characters", "tokens"));
    }

    private static Module lengthModule(Config c) {
        int max = c.getInt("max-length");
        int buffer = c.getInt("buffer-length");
        if (c.getString("unit").equals("tokens")) {
            return new AbstractModule() {
                @Provides
                @Singleton
                RewardFunction reward(PolicyModel policy) {
                    return new LengthReward("length", max, buffer, "tokens", s -> policy.tokenizer().encode(s).length);
                }
            };
        }
        LengthReward reward = new LengthReward("length", max, buffer, "characters", String::length);
        return binder -> binder.bind(RewardFunction.class).toInstance(reward);
    }
}
