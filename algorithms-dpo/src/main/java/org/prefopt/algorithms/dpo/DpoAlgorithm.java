package org.prefopt.algorithms.dpo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.algorithms.dpo.loss.DpoStats;
import org.prefopt.algorithms.dpo.loss.DpoTokenLoss;
import org.prefopt.algorithms.dpo.loss.KtoStats;
import org.prefopt.algorithms.dpo.loss.KtoTokenLoss;
import org.prefopt.algorithms.dpo.pairs.LabelledCompletion;
import org.prefopt.algorithms.dpo.pairs.OfflinePairs;
import org.prefopt.algorithms.dpo.pairs.OnlinePairs;
import org.prefopt.algorithms.dpo.pairs.PreferencePair;
import org.prefopt.algorithms.dpo.reference.ReferenceCache;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.algorithm.MicroBatches;
import org.prefopt.api.algorithm.PolicyUpdate;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct Preference Optimization on offline pairs (from the dataset) or online pairs (sampled, rewarded and
 * paired each step). One step: gather pairs, look up or compute their reference log-probs, accumulate the DPO
 * loss over micro-batches of pairs (a pair's two sequences always share a micro-batch, since the loss couples
 * them), one optimizer update.
 *
 * <p>The family is the {@code loss-type}: simpo and orpo skip the reference pass altogether; kto trains on single
 * labelled completions (the pairs' two sides, or unpaired offline records) against the step's KL estimate, which
 * costs one no-grad policy pass and one reference pass over mismatched prompt/completion pairs per step. Every
 * variant updates through {@link PolicyUpdate}.
 */
public final class DpoAlgorithm implements Algorithm {

    private static final Logger LOG = LoggerFactory.getLogger(DpoAlgorithm.class);

    private final DpoOptions options;
    private final DpoTokenLoss.Settings settings;
    private final ReferenceCache cache;

    public DpoAlgorithm(DpoOptions options) {
        this.options = options;
        this.settings = new DpoTokenLoss.Settings(options.lossType(), options.beta(), options.labelSmoothing(),
                options.lengthNormalize(), options.rpoAlpha(), options.gamma(), options.orpoLambda());
        this.cache = new ReferenceCache(options.referenceCacheSize());
    }

    /** Pairs of a step and, for online pairs, how many prompts were drawn and gave none. */
    record Pairs(List<PreferencePair> pairs, int prompts, int promptsWithoutPair) {
    }

    @Override
    public StepResult step(StepContext context) {
        if (!options.lossType().paired()) {
            return ktoStep(context);
        }
        Pairs gathered = options.online() ? onlinePairs(context) : offlinePairs(context);
        List<PreferencePair> pairs = gathered.pairs();
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("pairs", (double) pairs.size());
        if (options.online()) {
            metrics.put("frac_prompts_no_pair", gathered.prompts() == 0 ? 0.0
                    : (double) gathered.promptsWithoutPair() / gathered.prompts());
        }
        if (pairs.isEmpty()) {
            LOG.info("step {}: no preference pair (every prompt's samples got the same reward); no update",
                    context.step());
            return StepResult.nothingToTrain(metrics);
        }
        PolicyModel policy = context.policy();
        List<ReferenceCache.Entry> reference;
        if (options.lossType().needsReference()) {
            reference = referenceSums(policy, pairs);
            metrics.put("ref_cache_hit_rate", cache.takeHitRate());
        } else {
            reference = null; // simpo, orpo: no reference pass at all
        }
        long chosenTokens = pairs.stream().mapToLong(p -> p.chosen().completionTokens().length).sum();

        DpoStats stats = new DpoStats();
        long numTokens = pairs.stream().mapToLong(PreferencePair::tokenCount).sum();
        // a pair's two sequences always share a micro-batch: the loss couples them
        PolicyUpdate.Outcome update = PolicyUpdate.run(policy, pairs.size(), options.microBatchSize(), false,
                new PolicyUpdate.MicroBatch() {
                    @Override
                    public List<TokenSequence> sequences(int from, int to) {
                        List<TokenSequence> batch = new ArrayList<>(2 * (to - from));
                        for (PreferencePair pair : pairs.subList(from, to)) {
                            batch.add(pair.chosen());
                            batch.add(pair.rejected());
                        }
                        return batch;
                    }

                    @Override
                    public TokenLoss loss(int from, int to) {
                        double[] refChosen = new double[to - from];
                        double[] refRejected = new double[to - from];
                        for (int k = from; k < to && reference != null; k++) {
                            refChosen[k - from] = reference.get(k).chosen();
                            refRejected[k - from] = reference.get(k).rejected();
                        }
                        return new DpoTokenLoss(settings, refChosen, refRejected, pairs.size(),
                                Math.max(1, chosenTokens), stats);
                    }
                }, "step " + context.step());
        metrics.putAll(stats.metrics());
        update.putMetrics(metrics);
        return new StepResult(metrics, numTokens, update.nonFinite() ? StepResult.Update.SKIPPED_NON_FINITE
                : StepResult.Update.APPLIED);
    }

    private Pairs offlinePairs(StepContext context) {
        List<PreferencePair> pairs = new ArrayList<>();
        List<Example> examples = context.nextPrompts(options.promptsPerStep());
        for (Example e : examples) {
            pairs.add(OfflinePairs.of(e, context.promptTokens(e), context.policy().tokenizer()));
        }
        return new Pairs(pairs, examples.size(), 0);
    }

    /** KTO: labelled completions from this step's online pairs or offline examples. */
    private StepResult ktoStep(StepContext context) {
        List<LabelledCompletion> items = new ArrayList<>();
        Map<String, Double> metrics = new TreeMap<>();
        if (options.online()) {
            Pairs gathered = onlinePairs(context);
            for (PreferencePair pair : gathered.pairs()) {
                items.addAll(LabelledCompletion.fromPair(pair));
            }
            metrics.put("frac_prompts_no_pair", gathered.prompts() == 0 ? 0.0
                    : (double) gathered.promptsWithoutPair() / gathered.prompts());
        } else {
            for (Example e : context.nextPrompts(options.promptsPerStep())) {
                items.addAll(LabelledCompletion.of(e, context.promptTokens(e), context.policy().tokenizer()));
            }
        }
        metrics.put("completions", (double) items.size());
        if (items.isEmpty()) {
            LOG.info("step {}: no labelled completion (every prompt's samples got the same reward); no update",
                    context.step());
            return StepResult.nothingToTrain(metrics);
        }
        PolicyModel policy = context.policy();
        double[] reference = singleReferenceSums(policy, items);
        metrics.put("ref_cache_hit_rate", cache.takeHitRate());
        KtoStats stats = new KtoStats();
        double referencePoint = klReferencePoint(policy, items);
        stats.setKl(referencePoint);
        KtoTokenLoss.Settings kto = new KtoTokenLoss.Settings(options.beta(), options.desirableWeight(),
                options.undesirableWeight());
        long numTokens = items.stream().mapToLong(LabelledCompletion::tokenCount).sum();
        // micro-batch-size counts pairs, i.e. two sequences: kto passes as many sequences per forward/backward
        PolicyUpdate.Outcome update = PolicyUpdate.run(policy, items.size(), 2 * options.microBatchSize(), false,
                new PolicyUpdate.MicroBatch() {
                    @Override
                    public List<TokenSequence> sequences(int from, int to) {
                        return items.subList(from, to).stream().map(LabelledCompletion::sequence).toList();
                    }

                    @Override
                    public TokenLoss loss(int from, int to) {
                        boolean[] desirable = new boolean[to - from];
                        for (int k = from; k < to; k++) {
                            desirable[k - from] = items.get(k).desirable();
                        }
                        return new KtoTokenLoss(kto, desirable, java.util.Arrays.copyOfRange(reference, from, to),
                                referencePoint, items.size(), stats);
                    }
                }, "step " + context.step());
        metrics.putAll(stats.metrics());
        update.putMetrics(metrics);
        return new StepResult(metrics, numTokens, update.nonFinite() ? StepResult.Update.SKIPPED_NON_FINITE
                : StepResult.Update.APPLIED);
    }

    /**
     * KTO's reference point: the mean log-ratio of the policy to the reference on mismatched prompt/completion pairs
     * of the step (each completion put after another example's prompt), clamped at 0 and held constant (TRL's KTO:
     * {@code kl = (policy_KL_logps - reference_KL_logps).mean().clamp(min=0)}, both passes without gradient).
     * Each item's partner is the next item (cyclically) with a different prompt; with a single prompt, the next item.
     */
    private double klReferencePoint(PolicyModel policy, List<LabelledCompletion> items) {
        int n = items.size();
        List<TokenSequence> mismatched = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] prompt = items.get(i).sequence().promptTokens();
            int partner = (i + 1) % n;
            for (int step = 1; step < n; step++) {
                int j = (i + step) % n;
                if (!java.util.Arrays.equals(items.get(j).sequence().promptTokens(), prompt)) {
                    partner = j;
                    break;
                }
            }
            mismatched.add(new TokenSequence(prompt, items.get(partner).sequence().completionTokens(),
                    items.get(i).sequence().temperature()));
        }
        double sum = 0;
        for (int[] range : MicroBatches.ranges(n, 2 * options.microBatchSize())) {
            List<TokenSequence> batch = mismatched.subList(range[0], range[1]);
            List<SequenceScores> current = policy.score(batch, ScoringMode.POLICY, false);
            List<SequenceScores> ref = policy.score(batch, ScoringMode.REFERENCE, false);
            for (int k = 0; k < batch.size(); k++) {
                sum += current.get(k).sumLogprob() - ref.get(k).sumLogprob();
            }
        }
        return Math.max(0.0, sum / n);
    }

    /** Reference sums of single completions, from the cache or one no-grad REFERENCE pass over the missing ones. */
    private double[] singleReferenceSums(PolicyModel policy, List<LabelledCompletion> items) {
        double[] out = new double[items.size()];
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            java.util.OptionalDouble v = cache.get(items.get(k).sequence());
            if (v.isPresent()) {
                out[k] = v.getAsDouble();
            } else {
                missing.add(k);
            }
        }
        for (int[] range : MicroBatches.ranges(missing.size(), 2 * options.microBatchSize())) {
            List<TokenSequence> batch = new ArrayList<>();
            for (int m = range[0]; m < range[1]; m++) {
                batch.add(items.get(missing.get(m)).sequence());
            }
            List<SequenceScores> scores = policy.score(batch, ScoringMode.REFERENCE, false);
            for (int m = range[0]; m < range[1]; m++) {
                int k = missing.get(m);
                out[k] = scores.get(m - range[0]).sumLogprob();
                cache.put(items.get(k).sequence(), out[k]);
            }
        }
        return out;
    }

    private Pairs onlinePairs(StepContext context) {
        List<PreferencePair> pairs = new ArrayList<>();
        int prompts = 0;
        int withoutPair = 0;
        int rounds = options.resampleWhenAllAgree() ? options.maxResampleRounds() : 1;
        int promptsWithPair = 0;
        for (int round = 0; round < rounds && promptsWithPair < options.promptsPerStep(); round++) {
            List<Example> drawn = context.nextPrompts(options.promptsPerStep() - promptsWithPair);
            if (drawn.isEmpty()) {
                break;
            }
            List<CompletionGroup> groups = context.generate(drawn, options.completionsPerPrompt());
            for (ScoredGroup g : context.reward(drawn, groups)) {
                prompts++;
                List<PreferencePair> made = OnlinePairs.of(g, options.pairsPerPrompt(), options.minRewardMargin());
                if (made.isEmpty()) {
                    withoutPair++;
                } else {
                    promptsWithPair++;
                    pairs.addAll(made);
                }
            }
        }
        return new Pairs(pairs, prompts, withoutPair);
    }

    /** Reference sums per pair, from the cache or from one no-grad REFERENCE pass over the missing pairs. */
    private List<ReferenceCache.Entry> referenceSums(PolicyModel policy, List<PreferencePair> pairs) {
        List<ReferenceCache.Entry> out = new ArrayList<>(pairs.size());
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < pairs.size(); k++) {
            ReferenceCache.Entry e = cache.get(pairs.get(k)).orElse(null);
            out.add(e);
            if (e == null) {
                missing.add(k);
            }
        }
        for (int[] range : MicroBatches.ranges(missing.size(), options.microBatchSize())) {
            List<TokenSequence> batch = new ArrayList<>();
            for (int m = range[0]; m < range[1]; m++) {
                PreferencePair pair = pairs.get(missing.get(m));
                batch.add(pair.chosen());
                batch.add(pair.rejected());
            }
            List<SequenceScores> scores = policy.score(batch, ScoringMode.REFERENCE, false);
            for (int m = range[0]; m < range[1]; m++) {
                int k = missing.get(m);
                int local = 2 * (m - range[0]);
                ReferenceCache.Entry e = new ReferenceCache.Entry(scores.get(local).sumLogprob(),
                        scores.get(local + 1).sumLogprob());
                cache.put(pairs.get(k), e);
                out.set(k, e);
            }
        }
        return out;
    }

    @Override
    public byte[] saveState() {
        return cache.save();
    }

    @Override
    public void restoreState(byte[] state) {
        cache.restore(state);
    }
}
