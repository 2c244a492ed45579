package org.prefopt.algorithms.dpo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.algorithms.dpo.loss.DpoStats;
import org.prefopt.algorithms.dpo.loss.DpoTokenLoss;
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
 */
public final class DpoAlgorithm implements Algorithm {

    private static final Logger LOG = LoggerFactory.getLogger(DpoAlgorithm.class);

    private final DpoOptions options;
    private final DpoTokenLoss.Settings settings;
    private final ReferenceCache cache;

    public DpoAlgorithm(DpoOptions options) {
        this.options = options;
        this.settings = new DpoTokenLoss.Settings(options.lossType(), options.beta(), options.labelSmoothing(),
                options.lengthNormalize(), options.rpoAlpha());
        this.cache = new ReferenceCache(options.referenceCacheSize());
    }

    /** Pairs of a step and, for online pairs, how many prompts were drawn and gave none. */
    record Pairs(List<PreferencePair> pairs, int prompts, int promptsWithoutPair) {
    }

    @Override
    public StepResult step(StepContext context) {
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
        List<ReferenceCache.Entry> reference = referenceSums(policy, pairs);
        metrics.put("ref_cache_hit_rate", cache.takeHitRate());

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
                        for (int k = from; k < to; k++) {
                            refChosen[k - from] = reference.get(k).chosen();
                            refRejected[k - from] = reference.get(k).rejected();
                        }
                        return new DpoTokenLoss(settings, refChosen, refRejected, pairs.size(), stats);
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
