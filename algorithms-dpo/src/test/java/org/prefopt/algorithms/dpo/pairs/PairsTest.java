package org.prefopt.algorithms.dpo.pairs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.api.testing.algorithm.FakeStepContext;
import org.prefopt.api.algorithm.ScoredGroup;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.StopReason;

class PairsTest {

    private static ScoredGroup group(double... rewards) {
        List<Completion> cs = new java.util.ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            cs.add(new Completion(new int[] {i, BigramPolicy.EOS}, "" + i, new float[2], StopReason.EOS));
        }
        return new ScoredGroup(FakeStepContext.example("p", "1", null, null),
                new CompletionGroup("r", new int[] {1}, cs), rewards, Map.of());
    }

    @Test
    void onlinePairsMatchBestWithWorst() {
        // rewards [0, 1, 0.5, 1] ranked (ties by index): 1, 3, 2, 0 -> pairs (1 vs 0), (3 vs 2)
        List<PreferencePair> pairs = OnlinePairs.of(group(0, 1, 0.5, 1), 2, 0.0);
        assertEquals(2, pairs.size());
        assertEquals(1, pairs.get(0).chosen().completionTokens()[0]);
        assertEquals(0, pairs.get(0).rejected().completionTokens()[0]);
        assertEquals(3, pairs.get(1).chosen().completionTokens()[0]);
        assertEquals(2, pairs.get(1).rejected().completionTokens()[0]);
        assertArrayEquals(new int[] {1}, pairs.get(0).chosen().promptTokens());
        // a margin of 0.5 rejects (3 vs 2): 1 - 0.5 is not > 0.5
        assertEquals(1, OnlinePairs.of(group(0, 1, 0.5, 1), 2, 0.5).size());
        // more pairs than distinct completions allow: stops at the middle
        assertEquals(1, OnlinePairs.of(group(1, 0, 0.5), 3, 0.0).size());
    }

    @Test
    void agreeingSamplesGiveNoPair() {
        assertTrue(OnlinePairs.of(group(1, 1, 1, 1), 2, 0.0).isEmpty());
        assertTrue(OnlinePairs.of(group(0, 0), 1, 0.0).isEmpty());
    }

    @Test
    void offlinePairsAppendEosAndNameTheOriginWhenTextsAreMissing() {
        Example e = FakeStepContext.example("x", "1", null, Map.of("chosen", "77", "rejected", "3"));
        PreferencePair p = OfflinePairs.of(e, new int[] {1}, new BigramPolicy.DigitTokenizer());
        assertArrayEquals(new int[] {7, 7, BigramPolicy.EOS}, p.chosen().completionTokens());
        assertArrayEquals(new int[] {3, BigramPolicy.EOS}, p.rejected().completionTokens());
        assertEquals(1 + 3 + 1 + 2, p.tokenCount());
        Example missing = FakeStepContext.example("y", "1", null, Map.of("chosen", "7"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> OfflinePairs.of(missing, new int[] {1}, new BigramPolicy.DigitTokenizer()));
        assertTrue(ex.getMessage().contains("test:y") && ex.getMessage().contains("'rejected'"), ex.getMessage());
    }
}
