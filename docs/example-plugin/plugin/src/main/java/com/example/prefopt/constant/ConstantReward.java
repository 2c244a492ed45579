package com.example.prefopt.constant;

import com.example.textstats.WordCounter;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;

/** Scores every completion {@code value + perWord * words}, words counted by the bundled library. */
public record ConstantReward(double value, double perWord) implements RewardFunction {

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public RewardResult score(Example example, String completion) {
        int words = WordCounter.words(completion);
        return RewardResult.of(value + perWord * words, Integer.toString(words), "constant plus " + words + " words");
    }
}
