package org.prefopt.launcher.training.fakes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TokenSequence;

/**
 * REINFORCE with a per-group mean baseline: loss = -(1/N) sum_i A_i sum_t log p(token_it). Enough to move the fake
 * policy and to exercise every context call. It counts its steps (saved state) and can be told to produce NaN
 * gradients or to "crash" at given steps.
 */
public final class FakeAlgorithm implements Algorithm {

    private final int prompts;
    private final int group;
    private final Set<Integer> poisonAt;
    private final int crashAt;
    private long stepsSeen;

    public FakeAlgorithm(int prompts, int group, Set<Integer> poisonAt, int crashAt) {
        this.prompts = prompts;
        this.group = group;
        this.poisonAt = Set.copyOf(poisonAt);
        this.crashAt = crashAt;
    }

    public FakeAlgorithm(int prompts, int group) {
        this(prompts, group, Set.of(), -1);
    }

    /** Thrown to simulate the process dying in the middle of a step. */
    public static final class Crash extends RuntimeException {
        public Crash(int step) {
            super("simulated crash at step " + step);
        }
    }

    @Override
    public StepResult step(StepContext ctx) {
        if (ctx.step() == crashAt) {
            throw new Crash(ctx.step());
        }
        List<Example> examples = ctx.nextPrompts(prompts);
        List<CompletionGroup> groups = ctx.generate(examples, group);
        List<ScoredGroup> scored = ctx.reward(examples, groups);
        List<TokenSequence> batch = new ArrayList<>();
        List<Double> advantages = new ArrayList<>();
        long tokens = 0;
        for (ScoredGroup g : scored) {
            double mean = 0;
            for (double t : g.totals()) {
                mean += t;
            }
            mean /= g.totals().length;
            List<Completion> cs = g.group().completions();
            for (int c = 0; c < cs.size(); c++) {
                batch.add(new TokenSequence(g.group().promptTokens(), cs.get(c).tokens()));
                advantages.add(g.totals()[c] - mean);
                tokens += g.group().promptTokens().length + cs.get(c).length();
            }
        }
        boolean poison = poisonAt.contains(ctx.step());
        int n = batch.size();
        PolicyModel policy = ctx.policy();
        PolicyModel.AccumulationResult acc = policy.accumulateGradients(batch, scores -> {
            double loss = 0;
            List<float[]> grads = new ArrayList<>();
            for (int i = 0; i < scores.size(); i++) {
                double a = advantages.get(i);
                loss -= a * scores.get(i).sumLogprob() / n;
                float[] g = new float[scores.get(i).logprobs().length];
                java.util.Arrays.fill(g, poison ? Float.NaN : (float) (-a / n));
                grads.add(g);
            }
            return new LossGradients(poison ? Double.NaN : loss, grads, null);
        }, false);
        OptimizerStepResult update = policy.optimizerStep();
        stepsSeen++;
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("loss", acc.loss());
        metrics.put("grad_norm", update.gradNorm());
        metrics.put("learning_rate", update.learningRate());
        metrics.put("algo/steps_seen", (double) stepsSeen);
        metrics.put("algo/seed_mod", (double) Math.floorMod(ctx.seed(), 1000L));
        metrics.put("algo/first_prompt_len", (double) ctx.promptTokens(examples.get(0)).length);
        return new StepResult(metrics, tokens, update.applied() ? StepResult.Update.APPLIED
                : StepResult.Update.SKIPPED_NON_FINITE);
    }

    @Override
    public byte[] saveState() {
        return ByteBuffer.allocate(8).putLong(stepsSeen).array();
    }

    @Override
    public void restoreState(byte[] state) {
        stepsSeen = ByteBuffer.wrap(state).getLong();
    }
}
