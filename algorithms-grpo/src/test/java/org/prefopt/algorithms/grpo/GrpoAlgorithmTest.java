package org.prefopt.algorithms.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.StopReason;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;

class GrpoAlgorithmTest {

    static Config defaults() {
        return ConfigFactory.parseResources("reference.conf").getConfig("prefopt.defaults.algorithm.grpo");
    }

    static GrpoAlgorithm grpo(Map<String, Object> overrides) {
        Config c = defaults();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return new GrpoAlgorithm(GrpoOptions.from(c));
    }

    private static FakeStepContext toyTask(BigramPolicy policy) {
        return new FakeStepContext(policy, List.of(FakeStepContext.example("p", "1", null, null)),
                FakeStepContext::containsSeven, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpo", "bnpo", "dr-grpo", "dapo"})
    void trainingRaisesTheRewardForEveryAggregation(String aggregation) {
        BigramPolicy policy = new BigramPolicy(2.0, null);
        FakeStepContext context = toyTask(policy);
        GrpoAlgorithm algorithm = grpo(Map.of("loss-aggregation", aggregation, "group-size", 8,
                "prompts-per-step", 4));
        double before = policy.probability(1, 7);
        List<Double> early = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        for (int step = 1; step <= 30; step++) {
            int from = context.rewards.size();
            StepResult r = algorithm.step(context);
            List<Double> stepRewards = context.rewards.subList(from, context.rewards.size());
            (step <= 5 ? early : step > 25 ? late : new ArrayList<Double>()).addAll(stepRewards);
            assertNotEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
            context.nextStep();
        }
        assertTrue(policy.probability(1, 7) > before + 0.3,
                aggregation + ": P(7|1) went from " + before + " to " + policy.probability(1, 7));
        assertTrue(mean(late) > mean(early) + 0.3, aggregation + ": reward " + mean(early) + " -> " + mean(late));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpo", "bnpo", "dr-grpo", "dapo"})
    void microBatchingDoesNotChangeTheUpdate(String aggregation) {
        double[][] weights = new double[2][];
        for (int run = 0; run < 2; run++) {
            BigramPolicy policy = new BigramPolicy(0.5, null);
            GrpoAlgorithm algorithm = grpo(Map.of("loss-aggregation", aggregation, "micro-batch-size",
                    run == 0 ? 1 : 64, "beta", 0.1, "entropy-coefficient", 0.01));
            FakeStepContext context = toyTask(policy);
            algorithm.step(context);
            context.nextStep();
            algorithm.step(context);
            weights[run] = policy.weights()[1];
            if (run == 0) {
                assertTrue(policy.accumulateBatchSizes.stream().allMatch(s -> s == 1));
            } else {
                assertTrue(policy.accumulateBatchSizes.size() <= 2);
            }
        }
        assertArrayEquals(weights[0], weights[1], 1e-6);
    }

    /** A context that hands out fixed rollouts: one group per call to reward(), in order. */
    private static StepContext fixedContext(BigramPolicy policy, List<List<ScoredGroup>> rounds) {
        StepContext context = mock(StepContext.class);
        when(context.policy()).thenReturn(policy);
        when(context.step()).thenReturn(1);
        when(context.samplingTemperature()).thenReturn(1.0);
        Example e = FakeStepContext.example("p", "1", null, null);
        when(context.nextPrompts(anyInt())).thenAnswer(inv -> {
            List<Example> xs = new ArrayList<>();
            for (int i = 0; i < (int) inv.getArgument(0); i++) {
                xs.add(e);
            }
            return xs;
        });
        when(context.generate(any(), anyInt())).thenReturn(List.of());
        var stub = when(context.reward(any(), any()));
        for (List<ScoredGroup> round : rounds) {
            stub = stub.thenReturn(round);
        }
        return context;
    }

    private static ScoredGroup group(double[] rewards, Completion... completions) {
        CompletionGroup g = new CompletionGroup("r", new int[] {1}, List.of(completions));
        return new ScoredGroup(FakeStepContext.example("p", "1", null, null), g, rewards, Map.of());
    }

    private static Completion completion(StopReason reason, int... tokens) {
        return new Completion(tokens, "", new float[tokens.length], reason);
    }

    private static ScoredGroup maskingGroup() {
        return group(new double[] {1, 0, 0},
                completion(StopReason.EOS, 7, 10),
                completion(StopReason.LENGTH, 3, 4, 5),
                completion(StopReason.EOS, 2, 10));
    }

    @Test
    void truncatedCompletionsAreMaskedButStillCountAsSequences() {
        // rewards [1, 0, 0]: mean 1/3, Bessel std s = sqrt(((2/3)² + 2 (1/3)²) / 2) = sqrt(1/3)
        // A = [2/3, -1/3, -1/3] / (s + 1e-4); first iteration: each token's loss is -A
        double d = Math.sqrt(1.0 / 3) + 1e-4;
        // masked, dapo: tokens 2 + 2 = 4 -> L = -(2 (2/3) + 2 (-1/3)) / (4 d) = -(1/3) / (2 d)
        BigramPolicy policy = new BigramPolicy(0.1, null);
        StepResult masked = grpo(Map.of("mask-truncated-completions", true, "group-size", 3, "prompts-per-step", 1))
                .step(fixedContext(policy, List.of(List.of(maskingGroup()))));
        assertEquals(2, policy.accumulated.size());
        assertEquals(-(1.0 / 3) / (2 * d), masked.metrics().get("loss"), 1e-6);
        assertEquals(1 + 2 + 1 + 2, masked.numTokens());
        // masked, grpo: per-sequence means over N = 3 (the masked one counts as 0): (-2/3 + 1/3 + 0) / (3 d)
        StepResult maskedGrpo = grpo(Map.of("mask-truncated-completions", true, "loss-aggregation", "grpo",
                "group-size", 3, "prompts-per-step", 1))
                .step(fixedContext(new BigramPolicy(0.1, null), List.of(List.of(maskingGroup()))));
        assertEquals((-2.0 / 3 + 1.0 / 3) / (3 * d), maskedGrpo.metrics().get("loss"), 1e-6);
        // unmasked, dapo: tokens 7 -> L = -(2 (2/3) + 3 (-1/3) + 2 (-1/3)) / (7 d) = (1/3) / (7 d)
        BigramPolicy all = new BigramPolicy(0.1, null);
        StepResult unmasked = grpo(Map.of("group-size", 3, "prompts-per-step", 1))
                .step(fixedContext(all, List.of(List.of(maskingGroup()))));
        assertEquals(3, all.accumulated.size());
        assertEquals((1.0 / 3) / (7 * d), unmasked.metrics().get("loss"), 1e-6);
        // dr-grpo with max-completion-length 8: L = -(4/3 - 1 - 2/3) / (3 · 8 · d)
        StepResult dr = grpo(Map.of("loss-aggregation", "dr-grpo", "max-completion-length", 8, "group-size", 3,
                "prompts-per-step", 1)).step(fixedContext(new BigramPolicy(0.1, null), List.of(List.of(maskingGroup()))));
        assertEquals((1.0 / 3) / (24 * d), dr.metrics().get("loss"), 1e-6);
    }

    private static ScoredGroup agreeing() {
        return group(new double[] {1, 1}, completion(StopReason.EOS, 7, 10), completion(StopReason.EOS, 7, 10));
    }

    private static ScoredGroup disagreeing() {
        return group(new double[] {1, 0}, completion(StopReason.EOS, 7, 10), completion(StopReason.EOS, 3, 10));
    }

    @Test
    void zeroStdGroupsAreDroppedKeptOrResampled() {
        Map<String, Object> base = Map.of("group-size", 2, "prompts-per-step", 2);

        BigramPolicy dropPolicy = new BigramPolicy(0.1, null);
        StepResult drop = grpo(base).step(fixedContext(dropPolicy, List.of(List.of(agreeing(), disagreeing()))));
        assertEquals(2.0, drop.metrics().get("groups/drawn"));
        assertEquals(1.0, drop.metrics().get("groups/trained"));
        assertEquals(2, dropPolicy.accumulated.size());

        Map<String, Object> keep = new java.util.HashMap<>(base);
        keep.put("zero-std-groups", "keep");
        BigramPolicy keepPolicy = new BigramPolicy(0.1, null);
        StepResult kept = grpo(keep).step(fixedContext(keepPolicy, List.of(List.of(agreeing(), disagreeing()))));
        assertEquals(2.0, kept.metrics().get("groups/trained"));
        assertEquals(4, keepPolicy.accumulated.size());

        Map<String, Object> resample = new java.util.HashMap<>(base);
        resample.put("zero-std-groups", "resample");
        BigramPolicy resamplePolicy = new BigramPolicy(0.1, null);
        StepResult resampled = grpo(resample).step(fixedContext(resamplePolicy,
                List.of(List.of(agreeing(), disagreeing()), List.of(disagreeing()))));
        assertEquals(3.0, resampled.metrics().get("groups/drawn"));
        assertEquals(2.0, resampled.metrics().get("groups/trained"));
        assertEquals(4, resamplePolicy.accumulated.size());

        resample.put("max-resample-rounds", 2);
        BigramPolicy capped = new BigramPolicy(0.1, null);
        StepResult none = grpo(resample).step(fixedContext(capped,
                List.of(List.of(agreeing(), agreeing()), List.of(agreeing(), agreeing()), List.of(disagreeing()))));
        assertEquals(StepResult.Update.NOTHING_TO_TRAIN, none.update());
        assertEquals(4.0, none.metrics().get("groups/drawn"));
        assertEquals(0, capped.optimizerSteps);
    }

    @Test
    void klNeedsOneReferencePassAndStartsAtZero() {
        BigramPolicy withKl = new BigramPolicy(0.5, null);
        FakeStepContext context = toyTask(withKl);
        GrpoAlgorithm algorithm = grpo(Map.of("beta", 0.2, "kl-estimator", "k3", "zero-std-groups", "keep"));
        StepResult first = algorithm.step(context);
        int sequences = withKl.accumulated.size();
        assertEquals(sequences, withKl.referenceScoredSequences);
        assertEquals(0.0, first.metrics().get("kl"), 1e-7); // policy == reference before the first update
        context.nextStep();
        StepResult second = algorithm.step(context);
        assertTrue(second.metrics().get("kl") > 0);

        BigramPolicy noKl = new BigramPolicy(0.5, null);
        StepResult r = grpo(Map.of()).step(toyTask(noKl));
        assertEquals(0, noKl.referenceScoredSequences);
        assertFalse(r.metrics().containsKey("kl"));
    }

    /** Rollouts sampled at temperature T are scored at T (on-policy), as TRL divides the logits by T. */
    @Test
    void completionsAreScoredAtTheSamplingTemperature() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        StepContext context = fixedContext(policy, List.of(List.of(disagreeing(), disagreeing())));
        when(context.samplingTemperature()).thenReturn(0.6);
        grpo(Map.of("zero-std-groups", "keep")).step(context);
        assertTrue(!policy.accumulated.isEmpty());
        assertTrue(policy.accumulated.stream().allMatch(s -> s.temperature() == 0.6), "scored at 0.6");
    }

    @Test
    void severalIterationsReuseTheRolloutsWithClipping() {
        BigramPolicy policy = new BigramPolicy(20.0, null);
        StepResult r = grpo(Map.of("num-iterations", 3, "zero-std-groups", "keep"))
                .step(fixedContext(policy, List.of(List.of(disagreeing(), disagreeing()))));
        assertEquals(3, policy.optimizerSteps);
        assertEquals(3 * 4, policy.accumulated.size());
        assertEquals(StepResult.Update.APPLIED, r.update());
        // the big learning rate moves the ratio of later iterations outside [0.8, 1.2]
        assertTrue(r.metrics().get("clip_ratio/region_mean") > 0, r.metrics().toString());
        assertTrue(r.metrics().containsKey("entropy"));
        assertTrue(r.metrics().get("grad_norm") > 0);
        assertEquals(20.0, r.metrics().get("learning_rate"));
    }

    @Test
    void nonFiniteLossSkipsTheUpdateAndFlagsIt() {
        BigramPolicy policy = new BigramPolicy(0.5, null);
        double[] before = policy.weights()[1].clone();
        policy.poison = true;
        StepResult r = grpo(Map.of("micro-batch-size", 1))
                .step(fixedContext(policy, List.of(List.of(disagreeing(), disagreeing()))));
        assertEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
        assertEquals(1, policy.optimizerSteps); // called once, to discard the poisoned gradients
        assertEquals(1, policy.accumulated.size()); // stopped at the first poisoned micro-batch
        assertArrayEquals(before, policy.weights()[1]);
    }
}
