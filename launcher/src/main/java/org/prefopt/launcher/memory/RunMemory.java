package org.prefopt.launcher.memory;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.prefopt.api.memory.MemoryItem;
import org.prefopt.api.memory.MemoryPhase;
import org.prefopt.api.memory.MemoryPlan;
import org.prefopt.api.memory.MemoryPlanner;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.ResolvedRun;

/**
 * A run's memory plan: the policy's own estimate for the run's workload ({@link MemoryPlanner}) plus the runtime's
 * memory, and the limit it is checked against.
 *
 * @param plan        the plan, or null when none could be made
 * @param workload    the sizes the plan was made for
 * @param limit       the device memory to fit in, empty when not known (a GPU without {@code memory.limit})
 * @param limitSource where the limit came from, in words
 * @param unavailable why there is no plan (null when there is one)
 */
public record RunMemory(MemoryPlan plan, RunWorkload workload, OptionalLong limit, String limitSource,
                        String unavailable) {

    /**
     * What a CPU run holds before any model: the JVM (its heap as far as the run uses it, code, threads) and
     * libtorch's libraries and allocator pools, measured as the peak resident memory of a GRPO run of the tiny preset
     * (docs/models.md, "Memory plan").
     */
    static final long CPU_RUNTIME_BYTES = 312L << 20;

    public static RunMemory of(ResolvedRun run) {
        return of(run.config(), run.components());
    }

    public static RunMemory of(Config root, List<ResolvedComponent> components) {
        RunWorkload workload = RunWorkload.of(root, components);
        String device = workload.workload().device();
        MemorySettings settings = MemorySettings.from(root);
        OptionalLong limit = settings.bytes(root, device);
        String limitSource = switch (settings.limit()) {
            case MemorySettings.NONE -> "memory.limit = none: not checked";
            case MemorySettings.AUTO -> limit.isPresent() ? "machine memory, memory.limit = auto"
                    : "device " + device + ": its memory cannot be queried here; state it with memory.limit = 80GiB";
            default -> "memory.limit = " + settings.limit();
        };
        ResolvedComponent policy = components.stream().filter(c -> c.path().equals("policy")).findFirst()
                .orElse(null);
        if (policy == null) {
            return new RunMemory(null, workload, limit, limitSource, "the run has no policy section");
        }
        Optional<MemoryPlanner> planner = policy.component().factory().memoryPlanner();
        if (planner.isEmpty()) {
            return new RunMemory(null, workload, limit, limitSource, "policy type '" + policy.type()
                    + "' offers no memory estimate");
        }
        MemoryPlan plan;
        try {
            plan = planner.get().plan(policy.options(), workload.workload());
        } catch (IllegalArgumentException e) {
            return new RunMemory(null, workload, limit, limitSource, e.getMessage());
        }
        return new RunMemory(plan.with(runtime(device)), workload, limit, limitSource, null);
    }

    private static List<MemoryItem> runtime(String device) {
        List<MemoryItem> items = new ArrayList<>();
        if (device.equals("cpu")) {
            items.add(new MemoryItem("runtime (JVM + libtorch)", CPU_RUNTIME_BYTES, MemoryPhase.RESIDENT,
                    "measured: peak resident memory of a tiny-preset GRPO run (docs/models.md)"));
        } else {
            items.add(new MemoryItem("CUDA context and allocator cache", 0, MemoryPhase.RESIDENT,
                    "not counted: not measured (no GPU was available); leave a few hundred MiB"));
        }
        return items;
    }

    /** Whether there is a plan and a limit, and the peak is above it. */
    public boolean exceeds() {
        return plan != null && limit.isPresent() && plan.peak() > limit.getAsLong();
    }

    /** The plan's peak, or empty without a plan. */
    public OptionalLong peak() {
        return plan == null ? OptionalLong.empty() : OptionalLong.of(plan.peak());
    }

    /** One line: the peak and the total, for sweep listings. */
    public String summary() {
        if (plan == null) {
            return "memory plan: " + unavailable;
        }
        String fit = limit.isEmpty() ? "" : plan.peak() > limit.getAsLong() ? ", EXCEEDS " + ByteSizes.format(
                limit.getAsLong()) : " of " + ByteSizes.format(limit.getAsLong());
        return "memory peak " + ByteSizes.format(plan.peak()) + " (" + phaseName(plan.peakPhase()) + ")" + fit
                + ", all parts " + ByteSizes.format(plan.total());
    }

    static String phaseName(MemoryPhase phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }
}
