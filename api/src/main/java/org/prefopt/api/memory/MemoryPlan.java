package org.prefopt.api.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The estimated memory of a run on its device, component by component.
 *
 * @param source where the model's shape came from (a preset, a checkpoint's config.json, ...)
 * @param items  every component, in the order they are printed
 */
public record MemoryPlan(String source, List<MemoryItem> items) {

    public MemoryPlan {
        items = List.copyOf(items);
    }

    /** Bytes of the items held in {@code phase}. */
    public long bytes(MemoryPhase phase) {
        return items.stream().filter(i -> i.phase() == phase).mapToLong(MemoryItem::bytes).sum();
    }

    /** Every item added up, as if all phases coincided (an upper bound that the run never reaches). */
    public long total() {
        return items.stream().mapToLong(MemoryItem::bytes).sum();
    }

    /** What is resident plus the largest phase: loading, generation and training do not hold their memory at once. */
    public long peak() {
        return bytes(MemoryPhase.RESIDENT) + bytes(peakPhase());
    }

    /** The phase that sets the peak (training on a tie). */
    public MemoryPhase peakPhase() {
        MemoryPhase peak = MemoryPhase.TRAINING;
        for (MemoryPhase p : List.of(MemoryPhase.GENERATION, MemoryPhase.LOADING)) {
            if (bytes(p) > bytes(peak)) {
                peak = p;
            }
        }
        return peak;
    }

    /** This plan with {@code more} appended (e.g. the runtime's own memory, added by the host). */
    public MemoryPlan with(List<MemoryItem> more) {
        List<MemoryItem> all = new ArrayList<>(items);
        all.addAll(more);
        return new MemoryPlan(source, all);
    }
}
