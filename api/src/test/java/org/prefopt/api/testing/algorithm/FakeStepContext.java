package org.prefopt.api.testing.algorithm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;

/**
 * A training loop's side of a step for tests: cycles through fixed examples, renders prompts with the digit
 * tokenizer, samples with the policy and scores with a given reward function. Records what was rewarded.
 */
public final class FakeStepContext implements StepContext {

    private final PolicyModel policy;
    private final List<Example> examples;
    private final ToDoubleBiFunction<Example, Completion> reward;
    private final int maxNewTokens;
    private int next;
    private int step = 1;
    /** Every reward total handed out, in order. */
    public final List<Double> rewards = new ArrayList<>();
    public int promptsDrawn;

    public FakeStepContext(PolicyModel policy, List<Example> examples, ToDoubleBiFunction<Example, Completion> reward,
                           int maxNewTokens) {
        this.policy = policy;
        this.examples = examples;
        this.reward = reward;
        this.maxNewTokens = maxNewTokens;
    }

    public void nextStep() {
        step++;
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public long seed() {
        return 1000L + step;
    }

    @Override
    public PolicyModel policy() {
        return policy;
    }

    @Override
    public List<Example> nextPrompts(int count) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(examples.get(next++ % examples.size()));
        }
        promptsDrawn += count;
        return out;
    }

    @Override
    public int[] promptTokens(Example example) {
        return policy.tokenizer().encode(example.prompt());
    }

    @Override
    public List<CompletionGroup> generate(List<Example> prompts, int completionsPerPrompt) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            requests.add(new GenerationRequest(prompts.get(i).id() + "#" + i, promptTokens(prompts.get(i)),
                    completionsPerPrompt));
        }
        SamplingParams params = new SamplingParams(maxNewTokens, 1.0, 1.0, 0, false, List.of(),
                seed() * 31 + promptsDrawn);
        return policy.generate(requests, params);
    }

    @Override
    public List<ScoredGroup> reward(List<Example> prompts, List<CompletionGroup> groups) {
        List<ScoredGroup> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<Completion> cs = groups.get(i).completions();
            double[] totals = new double[cs.size()];
            for (int j = 0; j < totals.length; j++) {
                totals[j] = reward.applyAsDouble(prompts.get(i), cs.get(j));
                rewards.add(totals[j]);
            }
            out.add(new ScoredGroup(prompts.get(i), groups.get(i), totals, Map.of("test", totals.clone())));
        }
        return out;
    }

    /** The toy task's reward: 1 when the completion contains token 7, else 0. */
    public static double containsSeven(Example example, Completion completion) {
        for (int t : completion.tokens()) {
            if (t == 7) {
                return 1;
            }
        }
        return 0;
    }

    public static Example example(String id, String prompt, String solution, Map<String, String> attributes) {
        return new Example(id, prompt, null, solution, 1, null, "test:" + id, attributes);
    }
}
