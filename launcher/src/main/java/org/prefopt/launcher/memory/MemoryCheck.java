package org.prefopt.launcher.memory;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.prefopt.launcher.config.Origins;
import org.prefopt.launcher.config.Problem;
import org.prefopt.launcher.config.ResolvedComponent;

/**
 * The memory rule of {@code prefopt validate} and {@code prefopt run}: a run whose planned peak exceeds the device
 * memory is refused before anything is loaded, naming the settings that would make it fit.
 */
public final class MemoryCheck {

    private MemoryCheck() {
    }

    /** The problem to report, or empty when the plan fits (or cannot be checked). */
    public static Optional<Problem> problem(RunMemory memory, Config root, List<ResolvedComponent> components) {
        if (!memory.exceeds()) {
            return Optional.empty();
        }
        long peak = memory.plan().peak();
        long limit = memory.limit().getAsLong();
        StringBuilder m = new StringBuilder("the memory plan's peak, ").append(ByteSizes.format(peak)).append(" (")
                .append(RunMemory.phaseName(memory.plan().peakPhase())).append(" phase), exceeds ")
                .append(ByteSizes.format(limit)).append(" (").append(memory.limitSource()).append(").");
        List<MemoryAdvice> advice = MemoryAdvice.of(root, components, peak);
        if (advice.isEmpty()) {
            m.append(" No memory-saving setting of this run lowers it; use a smaller model or a larger device.");
        } else {
            m.append(" Settings that lower it:");
            for (MemoryAdvice a : advice) {
                m.append("\n  ").append(a.setting()).append(": peak ").append(ByteSizes.format(a.peak()))
                        .append(a.peak() <= limit ? " (fits)" : " (not enough alone)");
            }
        }
        m.append("\nTo run anyway: memory.limit = none, or prefopt run --ignore-memory-plan.");
        String key = root.hasPath("memory.limit") && !root.getString("memory.limit").equals(MemorySettings.AUTO)
                ? "memory.limit" : "policy";
        return Optional.of(new Problem(Origins.describe(root.getValue(key).origin()), key, m.toString()));
    }
}
