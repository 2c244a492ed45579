package org.prefopt.api.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;

/** How an update reports a loss-scaling overflow (routine) apart from non-finite gradients (a failure). */
class PolicyUpdateTest {

    private static PolicyModel policy(double loss, OptimizerStepResult step) {
        return (PolicyModel) Proxy.newProxyInstance(PolicyModel.class.getClassLoader(),
                new Class<?>[] {PolicyModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "accumulateGradients" -> new PolicyModel.AccumulationResult(loss, List.of());
                    case "optimizerStep" -> step;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static PolicyUpdate.Outcome run(PolicyModel p) {
        return PolicyUpdate.run(p, 2, 2, false, new PolicyUpdate.MicroBatch() {
            @Override
            public List<TokenSequence> sequences(int from, int to) {
                return List.of();
            }

            @Override
            public TokenLoss loss(int from, int to) {
                return scores -> new LossGradients(0, List.of(), null);
            }
        }, "step 1");
    }

    @Test
    void anOverflowIsNotAFailureAndMeasuresNoGradNorm() {
        PolicyUpdate.Outcome o = run(policy(0.5, new OptimizerStepResult(Double.POSITIVE_INFINITY, 1e-3, false, true)));
        assertFalse(o.nonFinite());
        assertTrue(o.overflow());
        Map<String, Double> m = new TreeMap<>();
        o.putMetrics(m);
        assertEquals(Map.of(PolicyUpdate.LOSS, 0.5, PolicyUpdate.LEARNING_RATE, 1e-3), m);
    }

    @Test
    void nonFiniteGradientsWithoutLossScalingStayAFailure() {
        PolicyUpdate.Outcome o = run(policy(0.5, new OptimizerStepResult(Double.NaN, 1e-3, false)));
        assertTrue(o.nonFinite());
        assertFalse(o.overflow());
    }

    @Test
    void aNonFiniteLossIsAFailureEvenWhenTheScalerAlsoSkipped() {
        PolicyUpdate.Outcome o = run(policy(Double.NaN, new OptimizerStepResult(Double.NaN, 1e-3, false, true)));
        assertTrue(o.nonFinite());
        assertFalse(o.overflow());
    }
}
