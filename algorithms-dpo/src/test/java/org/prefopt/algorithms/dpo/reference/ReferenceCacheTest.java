package org.prefopt.algorithms.dpo.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.prefopt.algorithms.dpo.pairs.PreferencePair;
import org.prefopt.api.testing.algorithm.FakeStepContext;
import org.prefopt.api.model.TokenSequence;

class ReferenceCacheTest {

    private static PreferencePair pair(int[] prompt, int[] chosen, int[] rejected) {
        return new PreferencePair(FakeStepContext.example("p", "1", null, null), new TokenSequence(prompt, chosen),
                new TokenSequence(prompt, rejected));
    }

    private static PreferencePair pair(int n) {
        return pair(new int[] {1}, new int[] {n}, new int[] {n + 1});
    }

    @Test
    void evictsLeastRecentlyUsed() {
        ReferenceCache cache = new ReferenceCache(2);
        cache.put(pair(1), new ReferenceCache.Entry(-1, -2));
        cache.put(pair(2), new ReferenceCache.Entry(-3, -4));
        assertTrue(cache.get(pair(1)).isPresent()); // 1 is now the most recent
        cache.put(pair(3), new ReferenceCache.Entry(-5, -6));
        assertTrue(cache.get(pair(2)).isEmpty());
        assertEquals(new ReferenceCache.Entry(-1, -2), cache.get(pair(1)).orElseThrow());
        assertEquals(2.0 / 3, cache.takeHitRate(), 1e-12);
        assertEquals(0.0, cache.takeHitRate());
    }

    @Test
    void keySeparatesPromptFromCompletion() {
        assertNotEquals(ReferenceCache.key(pair(new int[] {1, 2}, new int[] {3}, new int[] {4})),
                ReferenceCache.key(pair(new int[] {1}, new int[] {2, 3}, new int[] {4})));
        assertNotEquals(ReferenceCache.key(pair(new int[] {1}, new int[] {3}, new int[] {4})),
                ReferenceCache.key(pair(new int[] {1}, new int[] {4}, new int[] {3})));
    }

    @Test
    void saveAndRestoreKeepEntriesAndOrder() {
        ReferenceCache cache = new ReferenceCache(3);
        for (int i = 0; i < 3; i++) {
            cache.put(pair(i), new ReferenceCache.Entry(-i, -i - 0.5));
        }
        cache.get(pair(0));
        ReferenceCache restored = new ReferenceCache(3);
        restored.restore(cache.save());
        assertEquals(3, restored.size());
        restored.put(pair(9), new ReferenceCache.Entry(0, 0)); // evicts the least recently used: pair 1
        assertTrue(restored.get(pair(1)).isEmpty());
        assertEquals(new ReferenceCache.Entry(-2, -2.5), restored.get(pair(2)).orElseThrow());
        assertEquals(new ReferenceCache.Entry(0, -0.5), restored.get(pair(0)).orElseThrow());
    }

    @Test
    void corruptStateIsRejectedClearly() {
        byte[] state = new ReferenceCache(3).save();
        state[3] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReferenceCache(3).restore(state));
        assertTrue(e.getMessage().contains("format 9"), e.getMessage());
        ReferenceCache one = new ReferenceCache(3);
        one.put(pair(1), new ReferenceCache.Entry(1, 2));
        byte[] full = one.save();
        assertThrows(IllegalArgumentException.class,
                () -> new ReferenceCache(3).restore(Arrays.copyOf(full, full.length - 4)));
    }
}
