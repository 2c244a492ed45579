package org.prefopt.rewards.plugin;

import java.util.List;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;

/** Math-answer, format and length rewards. */
public final class MathRewardsPlugin implements Plugin {

    @Override
    public String name() {
        return "rewards";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(AnswerRewardFactory.gsm8k(), AnswerRewardFactory.math(), new FormatRewardFactory(),
                new LengthRewardFactory());
    }
}
