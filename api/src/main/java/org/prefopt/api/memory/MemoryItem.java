package org.prefopt.api.memory;

/**
 * One line of a memory plan.
 *
 * @param component what holds the memory, e.g. {@code weights (float32)} or {@code KV cache}
 * @param bytes     its size
 * @param phase     when it is held
 * @param note      how it was counted (shapes, counts), so a reader can check the number
 */
public record MemoryItem(String component, long bytes, MemoryPhase phase, String note) {

    public MemoryItem {
        if (bytes < 0) {
            throw new IllegalArgumentException(component + ": negative size " + bytes);
        }
    }
}
