package org.prefopt.backends.djl.generation;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the arrays attached to one manager while it lives: every op result (each one native call) is attached to
 * its first operand's manager, so in a decoding step's own manager this counts the engine ops the step issued.
 * DJL offers no hook for it; its {@code BaseNDManager} keeps attached resources in a protected map, which this
 * replaces with a counting one. Where that field is missing (another DJL version or manager) the count is
 * unavailable ({@link #count()} is -1) and generation is unaffected. A diagnostic for {@code prefopt bench} only.
 */
final class ArrayCreations {

    private static final Field RESOURCES = resourcesField();

    private final AtomicLong attached = new AtomicLong();
    private final boolean counting;

    ArrayCreations(NDManager manager) {
        this.counting = install(manager);
    }

    /** Arrays attached so far, or -1 where this manager cannot be counted. */
    long count() {
        return counting ? attached.get() : -1;
    }

    private boolean install(NDManager manager) {
        if (RESOURCES == null || !(manager instanceof BaseNDManager)) {
            return false;
        }
        try {
            @SuppressWarnings("unchecked")
            ConcurrentHashMap<String, AutoCloseable> old = (ConcurrentHashMap<String, AutoCloseable>) RESOURCES.get(manager);
            ConcurrentHashMap<String, AutoCloseable> counted = new ConcurrentHashMap<>() {
                @Override
                public AutoCloseable put(String key, AutoCloseable value) {
                    attached.incrementAndGet();
                    return super.put(key, value);
                }
            };
            counted.putAll(old);
            RESOURCES.set(manager, counted);
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
