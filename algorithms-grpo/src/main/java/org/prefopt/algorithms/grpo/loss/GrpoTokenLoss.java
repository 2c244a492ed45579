package org.prefopt.algorithms.grpo.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;

/**
 * The GRPO loss of one micro-batch, with its exact gradient per token log-prob and entropy:
 * <pre>
 *   L = Σ_i w_i Σ_t [ p(r_it, A_i, lp_it) + β·KL_it - c·H_it ]
 *   r_it = exp(lp_it - old_it)                          importance-sampling-level = token
 *   r_it = s_i = exp((1/T_i) Σ_u (lp_iu - old_iu))      importance-sampling-level = sequence (GSPO)
 *   p = -min(min(r, δ)·A, clip(r, 1-εlow, 1+εhigh)·A)   loss-type = clip (δ = ∞ unless delta is set)
 *   p = -sg(min(r, ε_max))·A·lp                         loss-type = cispo
 *   dL/dlp_it = w_i [ dp/dlog r + β·dKL/dlp ]  (clip),   w_i [ -min(r, ε_max)·A + β·dKL/dlp ]  (cispo)
 *   dL/dH_it = -c·w_i
 * </pre>
 * For the sequence level, every token of completion i carries the same {@code p(s_i)}, so
 * {@code d/dlp_iu Σ_t p(s_i) = T_i · p'(s_i)·s_i / T_i = p'(s_i)·s_i}: the per-token gradient has the token-level form
 * with {@code r} replaced by {@code s_i}. With one-token completions both levels are the same loss.
 * When no old log-probs are given the current ones (detached) are used, so {@code r = 1} with gradient
 * {@code -A} per token: the first (or only) iteration over a batch of rollouts runs on the generating weights.
 * The current log-probs seen are kept ({@link #seenLogprobs()}) to serve as old log-probs of later iterations.
 *
 * <p>Non-finite loss or gradients set {@link #nonFinite()} and are handed back as NaN gradients, so the
 * policy's accumulated gradients become non-finite and its optimizer step discards them instead of applying a
 * partial update.
 */
public final class GrpoTokenLoss implements TokenLoss {

    /** Settings of the loss shared by every micro-batch. */
    public record Settings(double epsilonLow, double epsilonHigh, double beta, KlEstimator klEstimator,
                           double entropyCoefficient, ImportanceSamplingLevel level, PolicyLossType lossType,
                           double delta, double epsilonMax) {

        /** Token-level clipped loss without the two-sided cap (GRPO/DAPO). */
        public Settings(double epsilonLow, double epsilonHigh, double beta, KlEstimator klEstimator,
                        double entropyCoefficient) {
            this(epsilonLow, epsilonHigh, beta, klEstimator, entropyCoefficient, ImportanceSamplingLevel.TOKEN,
                    PolicyLossType.CLIP, 0.0, 5.0);
        }
    }

    private final Settings settings;
    private final double[] advantages;
    private final double[] weights;
    private final List<float[]> oldLogprobs;
    private final List<float[]> refLogprobs;
    private final GrpoStats stats;
    private final List<float[]> engineLogprobs;
    private final double tisCap;
    private List<float[]> seen;
    private boolean nonFinite;

    /**
     * @param advantages  per sequence
     * @param weights     per sequence, from {@link LossAggregation#weights}
     * @param oldLogprobs per sequence and token, or null to use the current log-probs (detached)
     * @param refLogprobs per sequence and token; required when {@code beta > 0}, else ignored
     * @param stats       where token statistics go (may be shared across micro-batches)
     */
    public GrpoTokenLoss(Settings settings, double[] advantages, double[] weights, List<float[]> oldLogprobs,
                         List<float[]> refLogprobs, GrpoStats stats) {
        this(settings, advantages, weights, oldLogprobs, refLogprobs, stats, null, 0);
    }

    /**
     * With truncated importance sampling towards the rollout engine: each token's policy term (not KL, not
     * entropy) is weighed by {@code min(exp(old - engine), tisCap)}, the old log-probs being the policy's on the
     * generating weights; this corrects for rollouts sampled by an engine whose distribution differs slightly.
     *
     * @param engineLogprobs per sequence and token, the log-probs the rollout engine sampled with, or null for none
     */
    public GrpoTokenLoss(Settings settings, double[] advantages, double[] weights, List<float[]> oldLogprobs,
                         List<float[]> refLogprobs, GrpoStats stats, List<float[]> engineLogprobs, double tisCap) {
        this.engineLogprobs = engineLogprobs;
        this.tisCap = tisCap;
        if (settings.beta() > 0 && refLogprobs == null) {
            throw new IllegalArgumentException("beta > 0 needs reference log-probs");
        }
        this.settings = settings;
        this.advantages = advantages;
        this.weights = weights;
        this.oldLogprobs = oldLogprobs;
        this.refLogprobs = refLogprobs;
        this.stats = stats;
    }

    @Override
    public LossGradients evaluate(List<SequenceScores> current) {
        if (current.size() != advantages.length) {
            throw new IllegalStateException("policy returned scores for " + current.size() + " sequences, "
                    + advantages.length + " were given");
        }
        boolean useEntropy = settings.entropyCoefficient() != 0;
        double loss = 0;
        List<float[]> lpGrads = new ArrayList<>(current.size());
        List<float[]> entGrads = useEntropy ? new ArrayList<>(current.size()) : null;
        seen = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            float[] lp = current.get(i).logprobs();
            float[] entropies = current.get(i).entropies();
            float[] old = oldLogprobs == null ? lp : oldLogprobs.get(i);
            float[] ref = settings.beta() > 0 ? refLogprobs.get(i) : null;
            checkLength(i, "old", old, lp);
            if (ref != null) {
                checkLength(i, "reference", ref, lp);
            }
            if (useEntropy && (entropies == null || entropies.length != lp.length)) {
                throw new IllegalStateException("entropy-coefficient is set but the policy returned no entropies"
                        + " for sequence " + i);
            }
            float[] engine = engineLogprobs == null ? null : engineLogprobs.get(i);
            if (engine != null) {
                checkLength(i, "engine", engine, lp);
            }
            seen.add(lp.clone());
            double a = advantages[i];
            double w = weights[i];
            float[] g = new float[lp.length];
            float[] ge = useEntropy ? new float[lp.length] : null;
            double sequenceRatio = settings.level() == ImportanceSamplingLevel.SEQUENCE
                    ? sequenceRatio(lp, old) : Double.NaN;
            for (int t = 0; t < lp.length; t++) {
                double r = settings.level() == ImportanceSamplingLevel.SEQUENCE ? sequenceRatio
                        : ClippedObjective.ratio(lp[t], old[t]);
                double l;
                double dl;
                if (settings.lossType() == PolicyLossType.CISPO) {
                    double coefficient = Math.min(r, settings.epsilonMax()); // a constant for the gradient
                    l = -coefficient * a * lp[t];
                    dl = -coefficient * a;
                    stats.addCispoToken(r, a, settings.epsilonMax());
                } else {
                    l = ClippedObjective.lossAtRatio(r, a, settings.epsilonLow(), settings.epsilonHigh(),
                            settings.delta());
                    dl = ClippedObjective.gradientAtRatio(r, a, settings.epsilonLow(), settings.epsilonHigh(),
                            settings.delta());
                    stats.addToken(r, a, settings.epsilonLow(), settings.epsilonHigh());
                }
                if (engine != null) {
                    double tis = Math.min(Math.exp(old[t] - engine[t]), tisCap);
                    l *= tis;
                    dl *= tis;
                }
                if (ref != null) {
                    double kl = settings.klEstimator().value(lp[t], ref[t]);
                    stats.addKl(kl);
                    l += settings.beta() * kl;
                    dl += settings.beta() * settings.klEstimator().gradient(lp[t], ref[t]);
                }
                if (entropies != null) {
                    stats.addEntropy(entropies[t]);
                }
                if (useEntropy) {
                    l -= settings.entropyCoefficient() * entropies[t];
                    ge[t] = (float) (-settings.entropyCoefficient() * w);
                }
                loss += w * l;
                g[t] = (float) (w * dl);
                if (!Float.isFinite(g[t])) {
                    nonFinite = true;
                }
            }
            lpGrads.add(g);
            if (useEntropy) {
                entGrads.add(ge);
            }
        }
        if (!Double.isFinite(loss)) {
            nonFinite = true;
        }
        if (nonFinite) {
            for (float[] g : lpGrads) {
                Arrays.fill(g, Float.NaN);
            }
        }
        return new LossGradients(loss, lpGrads, entGrads);
    }

    /** GSPO's sequence ratio: the geometric mean of the token ratios (TRL: exp of the masked mean log-ratio). */
    static double sequenceRatio(float[] lp, float[] old) {
        if (lp.length == 0) {
            return 1.0;
        }
        double sum = 0;
        for (int t = 0; t < lp.length; t++) {
            sum += (double) lp[t] - old[t];
        }
        return StrictMath.exp(sum / lp.length);
    }

    private static void checkLength(int i, String what, float[] other, float[] lp) {
        if (other.length != lp.length) {
            throw new IllegalStateException("sequence " + i + ": " + other.length + " " + what
                    + " log-probs for " + lp.length + " completion tokens");
        }
    }

    /** The current log-probs seen by the last {@link #evaluate}, detached copies; null before. */
    public List<float[]> seenLogprobs() {
        return seen;
    }

    @Override
    public boolean nonFinite() {
        return nonFinite;
    }
}
