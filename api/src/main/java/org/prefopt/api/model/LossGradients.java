package org.prefopt.api.model;

import java.util.List;

/**
 * The value of a {@link TokenLoss} on one micro-batch and its gradient with respect to each token's log-prob
 * (and entropy). Arrays align with {@link SequenceScores}.
 *
 * @param loss               the loss contribution of this micro-batch (already scaled for accumulation)
 * @param logprobGradients   dLoss/dLogprob per sequence and completion token
 * @param entropyGradients   dLoss/dEntropy per sequence and token, or null when the loss ignores entropy
 */
public record LossGradients(double loss, List<float[]> logprobGradients, List<float[]> entropyGradients) {
}
