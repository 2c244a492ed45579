package org.prefopt.algorithms.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.data.Example;
import org.prefopt.api.testing.ValidationProblems;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;

/** SimPO, ORPO and KTO through the dpo algorithm: one option each, the one update loop, reference passes skipped. */
class DpoFamilyAlgorithmTest {

    private static Config config(Map<String, Object> overrides) {
        Config c = ConfigFactory.parseResources("reference.conf").getConfig("prefopt.defaults.algorithm.dpo");
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return c;
    }

    private static DpoAlgorithm dpo(String lossType, Map<String, Object> more) {
        Map<String, Object> options = new HashMap<>(more);
        options.put("loss-type", lossType);
        options.put("beta", lossType.equals("simpo") ? 2.0 : 0.5);
        return new DpoAlgorithm(DpoOptions.from(config(options)));
    }

    private static FakeStepContext offline(BigramPolicy policy) {
        List<Example> pairs = List.of(
                FakeStepContext.example("a", "1", null, Map.of("chosen", "77", "rejected", "33")),
                FakeStepContext.example("b", "2", null, Map.of("chosen", "45", "rejected", "54")));
        return new FakeStepContext(policy, pairs, (e, c) -> 0, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simpo", "orpo", "kto"})
    void offlinePreferenceAccuracyRises(String lossType) {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        FakeStepContext context = offline(policy);
        DpoAlgorithm algorithm = dpo(lossType, Map.of("pairs", "offline", "prompts-per-step", 2,
                "micro-batch-size", 1));
        StepResult first = algorithm.step(context);
        StepResult last = first;
        for (int i = 0; i < 15; i++) {
            context.nextStep();
            last = algorithm.step(context);
            assertEquals(StepResult.Update.APPLIED, last.update());
        }
        assertTrue(last.metrics().get("rewards/margins") > first.metrics().get("rewards/margins") + 0.1,
                lossType + ": " + first.metrics() + " -> " + last.metrics());
        assertEquals(1.0, last.metrics().get("rewards/accuracies"), lossType + ": " + last.metrics());
        assertTrue(last.metrics().get("logps/rejected") < first.metrics().get("logps/rejected"), lossType);
        if (lossType.equals("kto")) {
            // policy == reference before the first update: the KL reference point is 0; 2 pairs = 4 completions
            assertEquals(0.0, first.metrics().get("kl"), 1e-7);
            assertEquals(4.0, first.metrics().get("completions"));
            assertTrue(last.metrics().get("kl") >= 0);
        } else {
            assertEquals(0, policy.referenceScoredSequences, lossType + " must not score the reference");
            assertTrue(!last.metrics().containsKey("ref_cache_hit_rate"));
        }
    }

    @Test
    void ktoTrainsOnUnpairedLabelledCompletions() {
        List<Example> unpaired = List.of(
                FakeStepContext.example("a", "1", null, Map.of("completion", "77", "label", "true")),
                FakeStepContext.example("b", "1", null, Map.of("completion", "33", "label", "false")),
                FakeStepContext.example("c", "2", null, Map.of("completion", "45", "label", "true")));
        BigramPolicy policy = new BigramPolicy(1.0, null);
        FakeStepContext context = new FakeStepContext(policy, unpaired, (e, c) -> 0, 3);
        DpoAlgorithm algorithm = dpo("kto", Map.of("pairs", "offline", "prompts-per-step", 3,
                "undesirable-weight", 2.0));
        StepResult first = algorithm.step(context);
        assertEquals(2.0, first.metrics().get("count/chosen"));
        assertEquals(1.0, first.metrics().get("count/rejected"));
        // 3 completions scored under the reference, then 3 mismatched sequences for the KL estimate
        assertEquals(3 + 3, policy.referenceScoredSequences);
        StepResult last = first;
        for (int i = 0; i < 15; i++) {
            context.nextStep();
            last = algorithm.step(context);
        }
        assertEquals(1.0, last.metrics().get("rewards/accuracies"), last.metrics().toString());
        assertTrue(last.metrics().get("rewards/chosen") > 0 && last.metrics().get("rewards/rejected") < 0,
                last.metrics().toString());
        assertEquals(1.0, last.metrics().get("ref_cache_hit_rate"));
    }

    @Test
    void pairwiseLossesRejectUnpairedRecordsAndKtoRejectsBadLabels() {
        Example unpaired = FakeStepContext.example("u", "1", null, Map.of("completion", "77", "label", "true"));
        FakeStepContext context = new FakeStepContext(new BigramPolicy(1.0, null), List.of(unpaired), (e, c) -> 0, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dpo("simpo", Map.of("pairs", "offline", "prompts-per-step", 1)).step(context));
        assertTrue(e.getMessage().contains("only loss-type = kto trains on those"), e.getMessage());

        Example bad = FakeStepContext.example("x", "1", null, Map.of("completion", "77", "label", "yes"));
        FakeStepContext badContext = new FakeStepContext(new BigramPolicy(1.0, null), List.of(bad), (x, c) -> 0, 3);
        e = assertThrows(IllegalArgumentException.class,
                () -> dpo("kto", Map.of("pairs", "offline", "prompts-per-step", 1)).step(badContext));
        assertTrue(e.getMessage().contains("label 'yes': a KTO label must be true"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"simpo", "orpo", "kto"})
    void onlineRewardRises(String lossType) {
        BigramPolicy policy = new BigramPolicy(3.0, null);
        FakeStepContext context = new FakeStepContext(policy, List.of(FakeStepContext.example("p", "1", null, null)),
                FakeStepContext::containsSeven, 3);
        DpoAlgorithm algorithm = dpo(lossType, Map.of("completions-per-prompt", 8, "pairs-per-prompt", 2,
                "prompts-per-step", 4));
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
        double e = early.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double l = late.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(policy.probability(1, 7) > before + 0.2, lossType + ": P(7|1) " + before + " -> "
                + policy.probability(1, 7));
        assertTrue(l > e + 0.2, lossType + ": reward " + e + " -> " + l);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simpo", "orpo", "kto"})
    void microBatchingDoesNotChangeTheUpdate(String lossType) {
        double[][] rows = new double[2][];
        for (int run = 0; run < 2; run++) {
            BigramPolicy policy = new BigramPolicy(1.0, null);
            FakeStepContext context = offline(policy);
            DpoAlgorithm algorithm = dpo(lossType, Map.of("pairs", "offline", "prompts-per-step", 2,
                    "micro-batch-size", run == 0 ? 1 : 8));
            algorithm.step(context);
            context.nextStep();
            algorithm.step(context);
            rows[run] = policy.weights()[7];
        }
        assertArrayEquals(rows[0], rows[1], 1e-6);
    }

    private static List<String> problems(Map<String, Object> overrides) {
        return ValidationProblems.of(DpoPlugin.DPO, config(overrides));
    }

    @Test
    void eachLossIsOneLineAndInvalidCombinationsNameTheirKey() {
        for (String t : List.of("simpo", "orpo", "kto")) {
            assertEquals(List.of(), problems(Map.of("loss-type", t)), t);
        }
        List<String> p = problems(Map.of("loss-type", "orpo", "rpo-alpha", 1.0, "label-smoothing", 0.1));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("label-smoothing: applies only to loss-type sigmoid, robust or simpo"),
                p.toString());
        assertTrue(p.get(1).startsWith("rpo-alpha: orpo already adds the chosen completions' NLL"), p.toString());
        p = problems(Map.of("loss-type", "kto", "length-normalize", true, "undesirable-weight", 0));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("undesirable-weight: must be between"), p.toString());
        assertTrue(p.get(1).startsWith("length-normalize: kto compares summed log-probs"), p.toString());
        p = problems(Map.of("loss-type", "cpo"));
        assertEquals(List.of("loss-type: must be one of [sigmoid, robust, hinge, ipo, simpo, orpo, kto]"
                + " (got 'cpo')"), p);
    }
}
