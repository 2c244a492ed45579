package org.prefopt.algorithms.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;

class DpoAlgorithmTest {

    static DpoAlgorithm dpo(Map<String, Object> overrides) {
        Config c = ConfigFactory.parseResources("reference.conf").getConfig("prefopt.defaults.algorithm.dpo");
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return new DpoAlgorithm(DpoOptions.from(c));
    }

    private static FakeStepContext offline(BigramPolicy policy) {
        List<Example> pairs = List.of(
                FakeStepContext.example("a", "1", null, Map.of("chosen", "77", "rejected", "33")),
                FakeStepContext.example("b", "2", null, Map.of("chosen", "45", "rejected", "54")));
        return new FakeStepContext(policy, pairs, (e, c) -> 0, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "robust", "hinge", "ipo"})
    void offlineMarginsAndAccuraciesRiseForEveryLossType(String lossType) {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        FakeStepContext context = offline(policy);
        DpoAlgorithm algorithm = dpo(Map.of("pairs", "offline", "prompts-per-step", 2, "micro-batch-size", 1,
                "loss-type", lossType, "beta", 0.5, "label-smoothing", lossType.equals("robust") ? 0.1 : 0.0));
        StepResult first = algorithm.step(context);
        // before the first update the policy is the reference: every implicit reward is 0
        assertEquals(0.0, first.metrics().get("rewards/margins"), 1e-6);
        assertEquals(0.0, first.metrics().get("rewards/accuracies"));
        assertEquals(2.0, first.metrics().get("pairs"));
        StepResult last = first;
        for (int i = 0; i < 10; i++) {
            context.nextStep();
            last = algorithm.step(context);
        }
        assertTrue(last.metrics().get("rewards/margins") > 0.5, lossType + ": " + last.metrics());
        assertEquals(1.0, last.metrics().get("rewards/accuracies"));
        assertTrue(last.metrics().get("logps/chosen") > first.metrics().get("logps/chosen"));
        assertTrue(last.metrics().get("logps/rejected") < first.metrics().get("logps/rejected"));
        // reference log-probs were computed once per pair (2 pairs x 2 sequences), then served from the cache
        assertEquals(4, policy.referenceScoredSequences);
        assertEquals(1.0, last.metrics().get("ref_cache_hit_rate"));
        assertEquals(2 * (1 + 3 + 1 + 3), last.numTokens());
    }

    @Test
    void onlinePairsFromRewardedSamplesRaiseTheReward() {
        BigramPolicy policy = new BigramPolicy(3.0, null);
        FakeStepContext context = new FakeStepContext(policy, List.of(FakeStepContext.example("p", "1", null, null)),
                FakeStepContext::containsSeven, 3);
        DpoAlgorithm algorithm = dpo(Map.of("completions-per-prompt", 8, "pairs-per-prompt", 2,
                "prompts-per-step", 4, "beta", 0.5));
        double before = policy.probability(1, 7);
        List<Double> early = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        for (int step = 1; step <= 30; step++) {
            int from = context.rewards.size();
            StepResult r = algorithm.step(context);
            assertNotEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
            List<Double> rewards = context.rewards.subList(from, context.rewards.size());
            (step <= 5 ? early : step > 25 ? late : new ArrayList<Double>()).addAll(rewards);
            context.nextStep();
        }
        assertTrue(policy.probability(1, 7) > before + 0.3, "P(7|1) " + before + " -> " + policy.probability(1, 7));
        assertTrue(mean(late) > mean(early) + 0.3, "reward " + mean(early) + " -> " + mean(late));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void microBatchingDoesNotChangeTheUpdate() {
        double[][] rows = new double[2][];
        for (int run = 0; run < 2; run++) {
            BigramPolicy policy = new BigramPolicy(1.0, null);
            FakeStepContext context = offline(policy);
            DpoAlgorithm algorithm = dpo(Map.of("pairs", "offline", "prompts-per-step", 2,
                    "micro-batch-size", run == 0 ? 1 : 8));
            algorithm.step(context);
            context.nextStep();
            algorithm.step(context);
            rows[run] = policy.weights()[7];
            assertEquals(run == 0 ? 4 : 2, policy.accumulateBatchSizes.size());
        }
        assertArrayEquals(rows[0], rows[1], 1e-6);
    }

    @Test
    void referenceCacheSurvivesSaveAndRestore() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        DpoAlgorithm algorithm = dpo(Map.of("pairs", "offline", "prompts-per-step", 2));
        StepResult original = algorithm.step(offline(policy));
        byte[] state = algorithm.saveState();

        BigramPolicy fresh = new BigramPolicy(1.0, null);
        DpoAlgorithm resumed = dpo(Map.of("pairs", "offline", "prompts-per-step", 2));
        resumed.restoreState(state);
        StepResult again = resumed.step(offline(fresh));
        assertEquals(0, fresh.referenceScoredSequences);
        assertEquals(1.0, again.metrics().get("ref_cache_hit_rate"));
        assertEquals(original.metrics().get("loss"), again.metrics().get("loss"), 1e-12);
        assertArrayEquals(policy.weights()[7], fresh.weights()[7], 1e-12);
    }

    @Test
    void promptsWhoseSamplesAgreeGiveNoUpdate() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        FakeStepContext context = new FakeStepContext(policy, List.of(FakeStepContext.example("p", "1", null, null)),
                (e, c) -> 1.0, 3);
        StepResult r = dpo(Map.of("all-agree", "resample", "max-resample-rounds", 3, "prompts-per-step", 2))
                .step(context);
        assertEquals(StepResult.Update.NOTHING_TO_TRAIN, r.update());
        assertEquals(1.0, r.metrics().get("frac_prompts_no_pair"));
        assertEquals(6, context.promptsDrawn); // 3 rounds of 2 prompts
        assertEquals(0, policy.optimizerSteps);
    }

    @Test
    void nonFiniteLossSkipsTheUpdate() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        double[] before = policy.weights()[1].clone();
        policy.poison = true;
        StepResult r = dpo(Map.of("pairs", "offline", "prompts-per-step", 2, "micro-batch-size", 1))
                .step(offline(policy));
        assertEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
        assertEquals(1, policy.optimizerSteps);
        assertArrayEquals(before, policy.weights()[1]);
    }
}
