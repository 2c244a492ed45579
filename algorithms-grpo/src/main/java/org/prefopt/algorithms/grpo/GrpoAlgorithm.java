package org.prefopt.algorithms.grpo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.algorithms.grpo.advantage.Advantages;
import org.prefopt.algorithms.grpo.loss.GrpoStats;
import org.prefopt.algorithms.grpo.loss.GrpoTokenLoss;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.algorithm.MicroBatches;
import org.prefopt.api.algorithm.PolicyUpdate;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group Relative Policy Optimization. One step: draw prompts, generate {@code group-size} completions each,
 * reward them, turn rewards into group-relative advantages, then run {@code num-iterations} optimizer updates
 * on that batch of rollouts, each accumulating the clipped-ratio loss over micro-batches.
 *
 * <p>Old log-probs: the first iteration runs on the generating weights (no update has happened yet), so its
 * detached log-probs are the old log-probs, exactly what TRL's extra no-grad pass recomputes, without the extra
 * pass. The completions' generation log-probs are not used: the sampler's KV-cached forward can differ
 * numerically from the training forward, which would make the ratio of the first iteration differ from 1.
 *
 * <p>The algorithm keeps no state between steps; with {@code num-iterations > 1} all updates of a batch happen
 * inside one step (verl's PPO epochs), so the policy's learning-rate schedule advances that many times per step.
 */
public final class GrpoAlgorithm implements Algorithm {

    private static final Logger LOG = LoggerFactory.getLogger(GrpoAlgorithm.class);

    private final GrpoOptions options;
    private final GrpoTokenLoss.Settings settings;

    public GrpoAlgorithm(GrpoOptions options) {
        this.options = options;
        this.settings = new GrpoTokenLoss.Settings(options.epsilonLow(), options.epsilonHigh(), options.beta(),
                options.klEstimator(), options.entropyCoefficient(), options.importanceSamplingLevel(),
                options.lossType(), options.delta(), options.epsilonMax());
    }

    /** Metric: how far the rollout engine's log-probs are from the policy's (logged when sampling at temperature 1). */
    public static final String ENGINE_LOGPROB_ABS_DIFF = "engine/logprob_abs_diff";

    /**
     * One completion to train on.
     *
     * @param sampled the log-probs the rollout engine reported for the completion's tokens (temperature 1) */
    private record Item(TokenSequence sequence, double advantage, int tokens, float[] sampled) {
    }

    /** Groups chosen for the update, and how many were drawn. */
    record Rollouts(List<ScoredGroup> kept, int drawn) {
    }

    @Override
    public StepResult step(StepContext context) {
        Rollouts rollouts = collect(context);
        Map<String, Double> metrics = new TreeMap<>();
        // frac_reward_zero_std is the loop's metric (it sees every rewarded group of the step, resampled ones too)
        metrics.put("groups/drawn", (double) rollouts.drawn());
        metrics.put("groups/trained", (double) rollouts.kept().size());
        if (rollouts.kept().isEmpty()) {
            LOG.info("step {}: every group's rewards agree; no update", context.step());
            return StepResult.nothingToTrain(metrics);
        }

        List<double[]> rewards = new ArrayList<>();
        for (ScoredGroup g : rollouts.kept()) {
            for (double r : g.totals()) {
                if (!Double.isFinite(r)) {
                    throw new IllegalStateException("non-finite total reward " + r + " for example '"
                            + g.example().id() + "' (" + g.example().origin() + "); check the reward functions");
                }
            }
            rewards.add(g.totals());
        }
        List<int[]> lossTokens = new ArrayList<>();
        for (ScoredGroup g : rollouts.kept()) {
            List<Completion> completions = g.group().completions();
            int[] counts = new int[completions.size()];
            for (int j = 0; j < counts.length; j++) {
                counts[j] = trains(completions.get(j)) ? completions.get(j).length() : 0;
            }
            lossTokens.add(counts);
        }
        List<double[]> advantages = Advantages.compute(rewards, lossTokens, options.advantage(),
                options.scaleRewards());

        List<Item> items = new ArrayList<>();
        int numSequences = 0;
        int longest = 0;
        long numTokens = 0;
        for (int gi = 0; gi < rollouts.kept().size(); gi++) {
            CompletionGroup group = rollouts.kept().get(gi).group();
            List<Completion> completions = group.completions();
            for (int j = 0; j < completions.size(); j++) {
                Completion c = completions.get(j);
                numSequences++;
                longest = Math.max(longest, c.length());
                if (!trains(c)) {
                    continue; // contributes nothing to the loss but still counts in N
                }
                // scored at the sampling temperature: the loss is then on-policy (as TRL's logits / temperature)
                items.add(new Item(new TokenSequence(group.promptTokens(), c.tokens(), context.samplingTemperature()),
                        advantages.get(gi)[j], c.length(), c.logprobs()));
                numTokens += group.promptTokens().length + c.length();
            }
        }
        if (items.isEmpty()) {
            LOG.info("step {}: every completion is empty or masked as truncated; no update", context.step());
            return StepResult.nothingToTrain(metrics);
        }
        int[] tokenCounts = items.stream().mapToInt(Item::tokens).toArray();
        int maxLength = options.maxCompletionLength() > 0 ? options.maxCompletionLength() : longest;
        double[] weights = options.lossAggregation().weights(tokenCounts, numSequences, maxLength);

        PolicyModel policy = context.policy();
        List<TokenSequence> sequences = items.stream().map(Item::sequence).toList();
        List<float[]> reference = options.beta() > 0 ? referenceLogprobs(policy, sequences) : null;
        boolean withEntropy = options.computeEntropy();
        if (options.engineCorrection() && context.samplingTemperature() != 1.0) {
            throw new IllegalStateException("algorithm.engine-correction = tis needs sampling at temperature 1 (the"
                    + " engine reports temperature-1 log-probs); generation.temperature is "
                    + context.samplingTemperature());
        }
        List<float[]> engine = options.engineCorrection() ? items.stream().map(Item::sampled).toList() : null;

        GrpoStats stats = new GrpoStats();
        List<float[]> old = null;
        double lossSum = 0;
        double gradNormSum = 0;
        double learningRate = Double.NaN;
        int updates = 0;
        int normed = 0;
        boolean nonFinite = false;
        for (int iteration = 0; iteration < options.numIterations() && !nonFinite; iteration++) {
            List<float[]> seen = new ArrayList<>(items.size());
            List<float[]> oldLogprobs = old;
            PolicyUpdate.Outcome update = PolicyUpdate.run(policy, items.size(), options.microBatchSize(),
                    withEntropy, new PolicyUpdate.MicroBatch() {
                        @Override
                        public List<TokenSequence> sequences(int from, int to) {
                            return sequences.subList(from, to);
                        }

                        @Override
                        public TokenLoss loss(int from, int to) {
                            double[] adv = new double[to - from];
                            double[] w = new double[to - from];
                            for (int k = from; k < to; k++) {
                                adv[k - from] = items.get(k).advantage();
                                w[k - from] = weights[k];
                            }
                            return new GrpoTokenLoss(settings, adv, w,
                                    oldLogprobs == null ? null : oldLogprobs.subList(from, to),
                                    reference == null ? null : reference.subList(from, to), stats,
                                    engine == null ? null : engine.subList(from, to), options.engineCorrectionCap());
                        }

                        @Override
                        public void evaluated(int from, int to, TokenLoss loss) {
                            seen.addAll(((GrpoTokenLoss) loss).seenLogprobs());
                        }
                    }, "step " + context.step() + " iteration " + (iteration + 1));
            learningRate = update.learningRate();
            if (update.nonFinite()) {
                nonFinite = true;
                break;
            }
            lossSum += update.loss();
            if (!update.overflow()) { // a loss-scaling overflow measured no norm (see PolicyUpdate.Outcome)
                gradNormSum += update.gradNorm();
                normed++;
            }
            updates++;
            if (old == null) {
                old = seen;
                if (context.samplingTemperature() == 1.0) {
                    metrics.put(ENGINE_LOGPROB_ABS_DIFF, engineMismatch(items, seen));
                }
            }
        }
        metrics.putAll(stats.metrics(options.beta() > 0));
        metrics.put(PolicyUpdate.LEARNING_RATE, learningRate);
        if (updates > 0) {
            metrics.put(PolicyUpdate.LOSS, lossSum / updates);
        }
        if (normed > 0) {
            metrics.put(PolicyUpdate.GRAD_NORM, gradNormSum / normed);
        }
        return new StepResult(metrics, numTokens, nonFinite ? StepResult.Update.SKIPPED_NON_FINITE
                : StepResult.Update.APPLIED);
    }

    /**
     * Mean absolute difference, over the trained tokens, between the log-probs the rollout engine reported and the
     * policy's own on the generating weights (NeMo-RL's token_mult_prob_error in log space): about 1e-6 when the
     * policy generates, and the numerical gap of a separate engine (ONNX Runtime, float16) otherwise.
     */
    private static double engineMismatch(List<Item> items, List<float[]> policyLogprobs) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < items.size(); i++) {
            float[] engine = items.get(i).sampled();
            float[] policy = policyLogprobs.get(i);
            for (int t = 0; t < Math.min(engine.length, policy.length); t++) {
                sum += Math.abs(engine[t] - policy[t]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Whether a completion enters the loss: not empty, and not masked as truncated. */
    private boolean trains(Completion c) {
        return c.length() > 0 && !(options.maskTruncatedCompletions() && c.truncated());
    }

    private List<float[]> referenceLogprobs(PolicyModel policy, List<TokenSequence> sequences) {
        List<float[]> out = new ArrayList<>(sequences.size());
        for (int[] range : MicroBatches.ranges(sequences.size(), options.microBatchSize())) {
            for (SequenceScores s : policy.score(sequences.subList(range[0], range[1]), ScoringMode.REFERENCE, false)) {
                out.add(s.logprobs());
            }
        }
        return out;
    }

    /** Draws, generates and rewards groups, applying the zero-std policy. */
    Rollouts collect(StepContext context) {
        List<ScoredGroup> kept = new ArrayList<>();
        int drawn = 0;
        int rounds = options.zeroStdGroups() == ZeroStdGroups.RESAMPLE ? options.maxResampleRounds() : 1;
        for (int round = 0; round < rounds && kept.size() < options.promptsPerStep(); round++) {
            List<Example> prompts = context.nextPrompts(options.promptsPerStep() - kept.size());
            if (prompts.isEmpty()) {
                break;
            }
            List<CompletionGroup> groups = context.generate(prompts, options.groupSize());
            for (ScoredGroup g : context.reward(prompts, groups)) {
                drawn++;
                if (!g.rewardsAgree() || options.zeroStdGroups() == ZeroStdGroups.KEEP) {
                    kept.add(g);
                }
            }
        }
        return new Rollouts(kept, drawn);
    }
}
