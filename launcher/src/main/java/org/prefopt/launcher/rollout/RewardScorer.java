package org.prefopt.launcher.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.prefopt.api.data.Example;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.api.reward.RewardThreads;

/**
 * Scores completions with the run's weighted rewards on a bounded thread pool. Results are assembled by index,
 * so they do not depend on thread scheduling.
 */
public final class RewardScorer implements AutoCloseable {

    private final List<WeightedReward> rewards;
    private final List<String> names;
    private final RewardThreads threads;

    public RewardScorer(List<WeightedReward> rewards, int threads) {
        this.rewards = List.copyOf(rewards);
        this.names = uniqueNames(this.rewards);
        this.threads = new RewardThreads(threads);
    }

    /** Metric names of the rewards in run-file order; a repeated name gets a suffix ({@code format}, {@code format-2}). */
    public List<String> names() {
        return names;
    }

    public List<WeightedReward> rewards() {
        return rewards;
    }

    /** Scores {@code completions.get(i)} against {@code examples.get(i)}. */
    public List<ScoredCompletions> score(List<Example> examples, List<List<String>> completions) {
        if (examples.size() != completions.size()) {
            throw new IllegalArgumentException(examples.size() + " examples but " + completions.size() + " completion lists");
        }
        List<Callable<RewardResult[]>> tasks = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            for (String text : completions.get(i)) {
                tasks.add(() -> scoreOne(example, text));
            }
        }
        List<RewardResult[]> scored = threads.invokeAll(tasks);
        List<ScoredCompletions> out = new ArrayList<>(examples.size());
        int next = 0;
        for (List<String> row : completions) {
            int n = row.size();
            double[] totals = new double[n];
            Map<String, double[]> byReward = new LinkedHashMap<>();
            for (String name : names) {
                byReward.put(name, new double[n]);
            }
            List<RewardResult[]> results = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                RewardResult[] r = scored.get(next++);
                results.add(r);
                double total = 0;
                for (int k = 0; k < rewards.size(); k++) {
                    boolean applicable = r[k].applicable();
                    byReward.get(names.get(k))[c] = applicable ? r[k].value() : Double.NaN;
                    if (applicable) {
                        total += rewards.get(k).weight() * r[k].value();
                    }
                }
                totals[c] = total;
            }
            out.add(new ScoredCompletions(totals, byReward, results));
        }
        return out;
    }

    private RewardResult[] scoreOne(Example example, String text) {
        RewardResult[] r = new RewardResult[rewards.size()];
        for (int k = 0; k < rewards.size(); k++) {
            WeightedReward w = rewards.get(k);
            RewardResult result;
            try {
                result = w.function().score(example, text);
            } catch (RuntimeException e) {
                // The SPI forbids throwing; a reward that does is a bug to fix, not a value to guess.
                throw new IllegalStateException("reward '" + w.function().name() + "' threw on example '"
                        + example.id() + "' (" + example.origin() + "): " + e, e);
            }
            if (result == null) {
                throw new IllegalStateException("reward '" + w.function().name() + "' returned null on example '"
                        + example.id() + "'");
            }
            if (result.applicable() && !Double.isFinite(result.value())) {
                throw new IllegalStateException("reward '" + w.function().name() + "' returned the non-finite value "
                        + result.value() + " on example '" + example.id() + "'; a reward must be finite or not applicable");
            }
            r[k] = result;
        }
        return r;
    }

    private static List<String> uniqueNames(List<WeightedReward> rewards) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WeightedReward w : rewards) {
            String base = w.function().name();
            String name = base;
            for (int i = 2; !seen.add(name); i++) {
                name = base + "-" + i;
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    @Override
    public void close() {
        threads.close();
    }
}
