package org.prefopt.algorithms.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.testing.ValidationProblems;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;

/** The GRPO family through the algorithm: each variant is options of grpo, trains, and validates its combinations. */
class GrpoFamilyAlgorithmTest {

    /** The variants of the ablation, as option overrides. */
    static Map<String, Object> variant(String name) {
        return switch (name) {
            case "gspo" -> Map.of("importance-sampling-level", "sequence", "epsilon-low", 3e-4, "epsilon-high", 4e-4,
                    "num-iterations", 2);
            case "rloo" -> Map.of("advantage", "rloo");
            case "reinforce-plus-plus" -> Map.of("advantage", "reinforce-plus-plus");
            case "cispo" -> Map.of("loss-type", "cispo", "num-iterations", 2);
            case "delta" -> Map.of("delta", 1.5, "num-iterations", 2);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Config config(Map<String, Object> overrides) {
        Config c = GrpoAlgorithmTest.defaults();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        return c;
    }

    private static GrpoAlgorithm grpo(Map<String, Object> overrides) {
        return new GrpoAlgorithm(GrpoOptions.from(config(overrides)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gspo", "rloo", "reinforce-plus-plus", "cispo", "delta"})
    void everyVariantRaisesTheReward(String name) {
        BigramPolicy policy = new BigramPolicy(2.0, null);
        FakeStepContext context = new FakeStepContext(policy, List.of(FakeStepContext.example("p", "1", null, null)),
                FakeStepContext::containsSeven, 3);
        Map<String, Object> options = new java.util.HashMap<>(variant(name));
        options.put("group-size", 8);
        options.put("prompts-per-step", 4);
        GrpoAlgorithm algorithm = grpo(options);
        double before = policy.probability(1, 7);
        List<Double> early = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        for (int step = 1; step <= 30; step++) {
            int from = context.rewards.size();
            StepResult r = algorithm.step(context);
            List<Double> stepRewards = context.rewards.subList(from, context.rewards.size());
            (step <= 5 ? early : step > 25 ? late : new ArrayList<Double>()).addAll(stepRewards);
            assertNotEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
            if (name.equals("cispo") && r.update() == StepResult.Update.APPLIED) {
                assertTrue(r.metrics().containsKey("cispo_clip_ratio"), r.metrics().toString());
            }
            context.nextStep();
        }
        assertTrue(policy.probability(1, 7) > before + 0.3,
                name + ": P(7|1) went from " + before + " to " + policy.probability(1, 7));
        double e = early.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double l = late.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(l > e + 0.3, name + ": reward " + e + " -> " + l);
    }

    /** The sequence ratio, the batch whitening and cispo's weights are per step, not per micro-batch. */
    @ParameterizedTest
    @ValueSource(strings = {"gspo", "rloo", "reinforce-plus-plus", "cispo", "delta"})
    void microBatchingDoesNotChangeTheUpdate(String name) {
        double[][] weights = new double[2][];
        for (int run = 0; run < 2; run++) {
            BigramPolicy policy = new BigramPolicy(0.5, null);
            Map<String, Object> options = new java.util.HashMap<>(variant(name));
            options.put("micro-batch-size", run == 0 ? 1 : 64);
            options.put("beta", 0.1);
            GrpoAlgorithm algorithm = grpo(options);
            FakeStepContext context = new FakeStepContext(policy,
                    List.of(FakeStepContext.example("p", "1", null, null)), FakeStepContext::containsSeven, 3);
            algorithm.step(context);
            context.nextStep();
            algorithm.step(context);
            weights[run] = policy.weights()[1];
        }
        assertArrayEquals(weights[0], weights[1], 1e-6);
    }

    private static List<String> problems(Map<String, Object> overrides) {
        return ValidationProblems.of(GrpoPlugin.GRPO, config(overrides));
    }

    @Test
    void eachVariantIsOneValidLineOfConfig() {
        for (String name : List.of("rloo", "reinforce-plus-plus", "cispo")) {
            assertEquals(List.of(), problems(variant(name)), name);
        }
        assertEquals(List.of(), problems(Map.of("importance-sampling-level", "sequence")));
        assertEquals(List.of(), problems(Map.of("delta", 1.5)));
    }

    @Test
    void invalidCombinationsNameTheirKey() {
        List<String> p = problems(Map.of("loss-type", "cispo", "delta", 2.0, "epsilon-max", 0.5));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("delta: two-sided clipping applies to loss-type = clip"), p.toString());
        assertTrue(p.get(1).startsWith("epsilon-max: caps cispo's importance weight"), p.toString());

        p = problems(Map.of("delta", 1.1, "epsilon-high", 0.28));
        assertEquals(List.of("delta: must be greater than 1 + epsilon-high = 1.28 (got 1.1): a smaller cap would also"
                + " clip positive advantages inside the clip range; 0 turns it off"), p);

        p = problems(Map.of("advantage", "leave-one-out", "importance-sampling-level", "seq", "loss-type", "gspo"));
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("advantage: must be one of"), p.toString());
        assertTrue(p.get(1).startsWith("importance-sampling-level: must be one of"), p.toString());
        assertTrue(p.get(2).startsWith("loss-type: must be one of"), p.toString());
    }
}
