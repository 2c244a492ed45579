package org.prefopt.api.algorithm;

import java.util.List;
import java.util.Map;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer update, the part every algorithm shares: accumulate the loss's gradients over micro-batches, stop
 * at the first non-finite loss (the NaN gradients already accumulated make {@link PolicyModel#optimizerStep()}
 * discard the update), step the optimizer, report. Algorithms differ only in what a micro-batch holds and which
 * {@link TokenLoss} scores it.
 */
public final class PolicyUpdate {

    /** Metric names this update reports (TRL's), owned here so every algorithm logs them alike. */
    public static final String LOSS = "loss";
    public static final String GRAD_NORM = "grad_norm";
    public static final String LEARNING_RATE = "learning_rate";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyUpdate.class);

    private PolicyUpdate() {
    }

    /** What micro-batch {@code [from, to)} of an update's items trains on. */
    public interface MicroBatch {

        /** The sequences of items {@code [from, to)} (an item may be several sequences, e.g. a DPO pair). */
        List<TokenSequence> sequences(int from, int to);

        /** A fresh loss for those sequences. */
        TokenLoss loss(int from, int to);

        /** Called after the micro-batch's loss was evaluated, with the loss that scored it. */
        default void evaluated(int from, int to, TokenLoss loss) {
        }
    }

    /**
     * The outcome of one update.
     *
     * @param loss         the summed micro-batch losses (up to and including a non-finite one)
     * @param gradNorm     the global gradient norm before clipping
     * @param learningRate the learning rate the optimizer used (or would have used)
     * @param nonFinite    true when the update was discarded
     * @param overflow     true when dynamic loss scaling skipped the update (float16 gradients overflowed; the
     *                     policy backed its scale off): routine, not a failure, and the gradient norm measures
     *                     nothing then
     */
    public record Outcome(double loss, double gradNorm, double learningRate, boolean nonFinite, boolean overflow) {

        public Outcome(double loss, double gradNorm, double learningRate, boolean nonFinite) {
            this(loss, gradNorm, learningRate, nonFinite, false);
        }

        /** Puts loss, grad_norm (unless the update overflowed) and learning_rate into {@code metrics}. */
        public void putMetrics(Map<String, Double> metrics) {
            metrics.put(LOSS, loss);
            if (!overflow) {
                metrics.put(GRAD_NORM, gradNorm);
            }
            metrics.put(LEARNING_RATE, learningRate);
        }
    }

    /**
     * Runs one update over {@code items} items in micro-batches of {@code microBatchSize}.
     *
     * @param what for the warning on a skipped update, e.g. {@code "step 12"} or {@code "step 12 iteration 2"}
     */
    public static Outcome run(PolicyModel policy, int items, int microBatchSize, boolean withEntropy,
                              MicroBatch batch, String what) {
        double loss = 0;
        boolean nonFinite = false;
        for (int[] range : MicroBatches.ranges(items, microBatchSize)) {
            TokenLoss tokenLoss = batch.loss(range[0], range[1]);
            loss += policy.accumulateGradients(batch.sequences(range[0], range[1]), tokenLoss, withEntropy).loss();
            if (tokenLoss.nonFinite() || !Double.isFinite(loss)) {
                nonFinite = true;
                break;
            }
            batch.evaluated(range[0], range[1], tokenLoss);
        }
        OptimizerStepResult step = policy.optimizerStep();
        boolean overflow = !nonFinite && step.overflow();
        nonFinite |= !step.applied() && !overflow;
        if (nonFinite) {
            LOG.warn("{}: non-finite loss or gradients (loss {}, grad norm {}); update skipped", what, loss,
                    step.gradNorm());
        } else if (overflow) {
            LOG.info("{}: float16 gradients overflowed at this loss scale; update skipped, scale backed off", what);
        }
        return new Outcome(loss, step.gradNorm(), step.learningRate(), nonFinite, overflow);
    }
}
