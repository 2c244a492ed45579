package org.prefopt.api.reward;

import org.prefopt.api.data.Example;

/**
 * Scores one completion of one example. Must be thread-safe, bounded in time, and must not throw: a failure is
 * a result (0 or not applicable) with a note. The launcher calls it from a thread pool and applies the weight
 * given in the run file.
 */
public interface RewardFunction {

    /** Name under which metrics are logged ({@code rewards/<name>/mean}). */
    String name();

    RewardResult score(Example example, String completion);
}
