package org.prefopt.rewards;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.prefopt.api.data.Example;
import org.prefopt.rewards.answer.AnswerReward;
import org.prefopt.rewards.answer.AnswerRewardOptions;

/** Rewards built from the shipped reference.conf defaults, as the launcher would build them. */
public final class TestSupport {

    private TestSupport() {
    }

    public static Config defaults(String name) {
        return ConfigFactory.parseResources(TestSupport.class.getClassLoader(), "reference.conf")
                .getConfig("prefopt.defaults.reward." + name);
    }

    public static AnswerReward math() {
        return new AnswerReward("math-answer", AnswerRewardOptions.from(defaults("math-answer"), true));
    }

    public static AnswerReward gsm8k() {
        return new AnswerReward("gsm8k-answer", AnswerRewardOptions.from(defaults("gsm8k-answer"), false));
    }

    public static Example example(String gold) {
        return new Example("t", "q", gold, null, Example.UNKNOWN_DIFFICULTY, null, "test", Map.of());
    }
}
