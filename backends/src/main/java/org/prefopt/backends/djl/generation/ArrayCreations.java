package org.prefopt.backends.djl.generation;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the distinct arrays attached to the watched managers: every op result (one native call each) is attached to
 * its first operand's manager, so watching generation's manager and each decoding step's counts the engine ops of
 * the step, wherever their results land (the step's temporaries, the cache, the next logits, scopes opened inside
 * watched managers, which are watched in turn). An array moved from
 * one watched manager to another counts once. DJL offers no hook for it; its {@code BaseNDManager} keeps attached
 * resources in a protected map, which this replaces with a recording one. Where that field is missing (another DJL
 * version or manager) the count is unavailable ({@link #takeCount()} is -1) and generation is unaffected. A
 * diagnostic for {@code prefopt bench} only.
 */
final class ArrayCreations {

    private static final Field RESOURCES = resourcesField();

    private final Set<Object> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private boolean counting = true;

    /** Records the arrays attached to {@code manager} from now on. */
    void watch(NDManager manager) {
        counting &= install(manager);
    }

    /** Distinct arrays recorded since the last call, or -1 where a watched manager could not be counted. */
    long takeCount() {
        long n = counting ? seen.size() : -1;
        seen.clear();
        return n;
    }

    private boolean install(NDManager manager) {
        if (RESOURCES == null || !(manager instanceof BaseNDManager)) {
            return false;
        }
        try {
            @SuppressWarnings("unchecked")
            ConcurrentHashMap<String, AutoCloseable> old = (ConcurrentHashMap<String, AutoCloseable>) RESOURCES.get(manager);
            ConcurrentHashMap<String, AutoCloseable> recording = new ConcurrentHashMap<>() {
                @Override
                public AutoCloseable put(String key, AutoCloseable value) {
                    if (value instanceof NDArray) {
                        seen.add(value);
                    } else if (value instanceof NDManager sub) {
                        watch(sub); // a scope opened inside a watched one (the decoder's per-layer scopes)
                    }
                    return super.put(key, value);
                }
            };
            recording.putAll(old);
            RESOURCES.set(manager, recording);
            return true;
        } catch (IllegalAccessException | ClassCastException e) {
            return false;
        }
    }

    private static Field resourcesField() {
        try {
            Field f = BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
