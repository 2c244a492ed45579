package org.prefopt.api.model;

import java.util.List;

/**
 * What generates rollouts and evaluation samples for a policy: the policy itself (the default), or a separate
 * inference engine that runs the policy's current weights (ONNX Runtime). A run chooses it with its {@code engine}
 * section; without one the policy generates.
 */
public interface RolloutEngine extends AutoCloseable {

    /**
     * Generates for {@code policy} with its current weights, with {@link PolicyModel#generate}'s semantics: groups
     * share their prompt's prefill; the tokens, per-token log-probs and stop reasons of each completion.
     */
    List<CompletionGroup> generate(PolicyModel policy, List<GenerationRequest> requests, SamplingParams params);

    @Override
    default void close() {
    }

    /** The policy generating itself. */
    RolloutEngine POLICY = PolicyModel::generate;
}
