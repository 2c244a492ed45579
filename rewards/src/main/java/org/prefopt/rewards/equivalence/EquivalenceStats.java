package org.prefopt.rewards.equivalence;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of comparison outcomes per {@link Reason}, so that timeouts and parse failures are visible. */
public final class EquivalenceStats {

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public EquivalenceStats() {
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
        }
    }

    void record(Reason reason) {
        counts.get(reason).increment();
    }

    public long count(Reason reason) {
        return counts.get(reason).sum();
    }

    /** A snapshot of the non-zero counters. */
    public Map<Reason, Long> snapshot() {
        Map<Reason, Long> m = new EnumMap<>(Reason.class);
        counts.forEach((r, c) -> {
            long v = c.sum();
            if (v > 0) {
                m.put(r, v);
            }
        });
        return m;
    }

    public long failures() {
        long total = 0;
        for (Reason r : Reason.values()) {
            if (r.isFailure()) {
                total += count(r);
            }
        }
        return total;
    }
}
