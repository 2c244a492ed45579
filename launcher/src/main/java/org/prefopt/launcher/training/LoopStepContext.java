package org.prefopt.launcher.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptOutcome;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.rollout.PromptCache;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.ScoredCompletions;
import org.prefopt.launcher.rollout.Seeds;

/**
 * The {@link StepContext} of one step. It accumulates what the algorithm drew, generated and scored during the
 * step (an algorithm may call each method several times, e.g. to resample groups) and turns it into metrics.
 */
final class LoopStepContext implements StepContext {

    private final int step;
    private final long seed;
    private final PolicyModel policy;
    private final PromptSampler sampler;
    private final PromptCache prompts;
    private final SamplingParams sampling;
    private final RewardScorer scorer;

    private int generateCalls;
    private long generationNanos;
    private long rewardNanos;
    private final List<Completion> generated = new ArrayList<>();
    private final List<ScoredGroup> scored = new ArrayList<>();
    private final List<ScoredCompletions> results = new ArrayList<>();

    LoopStepContext(int step, long runSeed, PolicyModel policy, PromptSampler sampler, PromptCache prompts,
                    SamplingParams sampling, RewardScorer scorer) {
        this.step = step;
        this.seed = Seeds.derive(runSeed, Seeds.STEP, step);
        this.policy = policy;
        this.sampler = sampler;
        this.prompts = prompts;
        this.sampling = sampling;
        this.scorer = scorer;
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public PolicyModel policy() {
        return policy;
    }

    @Override
    public List<Example> nextPrompts(int count) {
        List<Example> drawn = sampler.next(count);
        if (drawn == null || drawn.isEmpty()) {
            throw new IllegalStateException("step " + step + ": the sampler returned no prompts for a request of "
                    + count + "; is the training pool empty after filtering?");
        }
        return List.copyOf(drawn);
    }

    @Override
    public int[] promptTokens(Example example) {
        return prompts.tokens(example);
    }

    @Override
    public double samplingTemperature() {
        // greedy decoding has no temperature; its completions are scored under the model itself
        return sampling.greedy() ? 1.0 : sampling.temperature();
    }

    @Override
    public List<CompletionGroup> generate(List<Example> examples, int completionsPerPrompt) {
        long t0 = System.nanoTime();
        List<GenerationRequest> requests = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            // The index makes ids unique when a sampler draws the same example twice in one step.
            requests.add(new GenerationRequest(i + ":" + examples.get(i).id(), prompts.tokens(examples.get(i)),
                    completionsPerPrompt));
        }
        long callSeed = Seeds.derive(seed, Seeds.GENERATION, generateCalls++);
        List<CompletionGroup> out = policy.generate(requests, sampling.withSeed(callSeed));
        List<CompletionGroup> aligned = align(requests, out);
        for (CompletionGroup g : aligned) {
            generated.addAll(g.completions());
        }
        generationNanos += System.nanoTime() - t0;
        return aligned;
    }

    /** Orders groups as the requests were, whatever order the policy returned them in. */
    private List<CompletionGroup> align(List<GenerationRequest> requests, List<CompletionGroup> groups) {
        if (groups.size() != requests.size()) {
            throw new IllegalStateException("policy returned " + groups.size() + " completion groups for "
                    + requests.size() + " requests");
        }
        Map<String, CompletionGroup> byId = new HashMap<>();
        for (CompletionGroup g : groups) {
            byId.put(g.requestId(), g);
        }
        List<CompletionGroup> aligned = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            CompletionGroup g = byId.get(r.id());
            if (g == null) {
                throw new IllegalStateException("policy returned no completions for request '" + r.id() + "'");
            }
            aligned.add(g);
        }
        return aligned;
    }

    @Override
    public List<ScoredGroup> reward(List<Example> examples, List<CompletionGroup> groups) {
        if (examples.size() != groups.size()) {
            throw new IllegalArgumentException(examples.size() + " prompts but " + groups.size() + " groups");
        }
        long t0 = System.nanoTime();
        List<List<String>> texts = new ArrayList<>(groups.size());
        for (CompletionGroup g : groups) {
            texts.add(g.completions().stream().map(Completion::text).toList());
        }
        List<ScoredCompletions> scores = scorer.score(examples, texts);
        results.addAll(scores);
        List<ScoredGroup> out = new ArrayList<>(groups.size());
        List<PromptOutcome> outcomes = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            ScoredCompletions s = scores.get(i);
            out.add(new ScoredGroup(examples.get(i), groups.get(i), s.totals(), s.byReward()));
            outcomes.add(new PromptOutcome(examples.get(i), s.totals().clone()));
        }
        sampler.observe(outcomes);
        scored.addAll(out);
        rewardNanos += System.nanoTime() - t0;
        return out;
    }

    /** The loop's metrics of this step (without timings, which {@link #timings} gives). */
    Map<String, Double> metrics() {
        Map<String, Double> m = new TreeMap<>();
        m.putAll(StepMetrics.rewards(scored, scorer.names()));
        m.putAll(StepMetrics.undecided(results, scorer.names()));
        m.putAll(StepMetrics.lengths(generated));
        return m;
    }

    /** Wall-clock timings in seconds; kept under {@code time/*} and {@code step_time} so comparisons can skip them. */
    Map<String, Double> timings(long stepNanos) {
        Map<String, Double> m = new TreeMap<>();
        m.put("step_time", stepNanos / 1e9);
        m.put("time/generation", generationNanos / 1e9);
        m.put("time/reward", rewardNanos / 1e9);
        m.put("time/update", Math.max(0, stepNanos - generationNanos - rewardNanos) / 1e9);
        return m;
    }
}
