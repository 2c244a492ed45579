package org.prefopt.launcher.training.fakes;

import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;

/** Test rewards over the fake policy's digit completions. */
public final class FakeRewards {

    private FakeRewards() {
    }

    /** 1 when the completion's first character is the gold answer, else 0; extracts that character. */
    public static RewardFunction digit() {
        return new RewardFunction() {
            @Override
            public String name() {
                return "digit";
            }

            @Override
            public RewardResult score(Example example, String completion) {
                if (completion.isEmpty()) {
                    return RewardResult.of(0, null, "empty completion");
                }
                String first = completion.substring(0, 1);
                return RewardResult.of(first.equals(example.goldAnswer()) ? 1 : 0, first, "first character");
            }
        };
    }

    /** Applies only to examples with attribute {@code short}: 1 when the completion has at most 2 characters. */
    public static RewardFunction shortness() {
        return new RewardFunction() {
            @Override
            public String name() {
                return "short";
            }

            @Override
            public RewardResult score(Example example, String completion) {
                if (!example.attributes().containsKey("short")) {
                    return RewardResult.notApplicable("example has no 'short' attribute");
                }
                return RewardResult.of(completion.length() <= 2 ? 1 : 0, null, "length " + completion.length());
            }
        };
    }
}
