package org.prefopt.launcher.rollout;

import java.util.Objects;
import org.prefopt.api.reward.RewardFunction;

/**
 * One entry of the run's {@code reward} list: the function and the weight its value gets in the total.
 *
 * @param function the reward
 * @param weight   its weight in the total (the run file's {@code weight}, 1.0 when absent)
 */
public record WeightedReward(RewardFunction function, double weight) {

    public WeightedReward {
        Objects.requireNonNull(function, "function");
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("reward '" + function.name() + "': weight must be finite (got " + weight + ")");
        }
    }
}
