package org.prefopt.algorithms.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;

class SftAlgorithmTest {

    private static FakeStepContext context(BigramPolicy policy, String... solutions) {
        List<org.prefopt.api.data.Example> examples = new java.util.ArrayList<>();
        for (int i = 0; i < solutions.length; i++) {
            examples.add(FakeStepContext.example("e" + i, "1", solutions[i], null));
        }
        return new FakeStepContext(policy, examples, (e, c) -> 0, 3);
    }

    @Test
    void firstStepMatchesHandWorkedLossAndUpdate() {
        // Two examples "1" -> "77" + EOS. Uniform initial logits: every token has lp = -ln 11, so the mean
        // token NLL is ln 11. With T = 6 tokens, dL/dlp = -1/6 per token. Only two tokens are predicted after
        // "1" (one per sequence): dL/dθ[1][7] = 2 · (-1/6) · (1 - 1/11) = -10/33, so SGD with lr 1 moves
        // θ[1][7] from 0 to 10/33 and every other θ[1][v] to 2 · (-1/6) · (-1/11)·(-1) = -1/33.
        BigramPolicy policy = new BigramPolicy(1.0, null);
        StepResult r = new SftAlgorithm(new SftOptions(2, 1)).step(context(policy, "77", "77"));
        assertEquals(StepResult.Update.APPLIED, r.update());
        assertEquals(Math.log(11), r.metrics().get("loss"), 1e-6);
        assertEquals(10.0 / 33, policy.weights()[1][7], 1e-6);
        assertEquals(-1.0 / 33, policy.weights()[1][3], 1e-6);
        assertEquals(2 * (1 + 3), r.numTokens());
        assertEquals(2, policy.accumulateBatchSizes.size());
        assertEquals(0.0, r.metrics().get("skipped_no_solution"));
    }

    @Test
    void trainingRaisesTheLikelihoodOfTheSolutions() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        FakeStepContext context = context(policy, "123", "77");
        SftAlgorithm sft = new SftAlgorithm(new SftOptions(2, 2));
        double first = sft.step(context).metrics().get("loss");
        double last = first;
        for (int i = 0; i < 30; i++) {
            context.nextStep();
            last = sft.step(context).metrics().get("loss");
        }
        assertTrue(last < first / 2, "loss " + first + " -> " + last);
        // initially 3 · ln(1/11) ≈ -7.19; the bigram optimum for these two solutions is 3 · ln(1/2) ≈ -2.08
        double lp = policy.logprob(new int[] {1}, new int[] {7, 7, BigramPolicy.EOS});
        assertTrue(lp > 3 * Math.log(1.0 / 11) + 2.5 && lp < 3 * Math.log(0.5) + 1e-9, "log-prob " + lp);
    }

    @Test
    void examplesWithoutSolutionAreSkippedAndCounted() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        StepResult r = new SftAlgorithm(new SftOptions(3, 8)).step(context(policy, "5", null, " "));
        assertEquals(2.0, r.metrics().get("skipped_no_solution"));
        assertEquals(1, policy.accumulated.size());

        BigramPolicy none = new BigramPolicy(1.0, null);
        StepResult empty = new SftAlgorithm(new SftOptions(2, 8)).step(context(none, null, null));
        assertEquals(StepResult.Update.NOTHING_TO_TRAIN, empty.update());
        assertEquals(0, none.optimizerSteps);
    }

    @Test
    void nonFiniteLossSkipsTheUpdate() {
        BigramPolicy policy = new BigramPolicy(1.0, null);
        policy.poison = true;
        StepResult r = new SftAlgorithm(new SftOptions(2, 1)).step(context(policy, "5", "6"));
        assertEquals(StepResult.Update.SKIPPED_NON_FINITE, r.update());
        assertEquals(0.0, policy.weights()[1][5]);
    }
}
