package org.prefopt.launcher.memory;

import java.io.PrintWriter;
import java.util.Locale;
import org.prefopt.api.memory.MemoryItem;
import org.prefopt.api.memory.MemoryPhase;
import org.prefopt.api.memory.MemoryPlan;

/** Prints a run's memory plan as a compact table: component, size, phase, note; then the peak against the limit. */
public final class PlanTable {

    private PlanTable() {
    }

    public static void print(RunMemory memory, PrintWriter out) {
        if (memory.plan() == null) {
            out.println("memory plan: none (" + memory.unavailable() + ")");
            return;
        }
        MemoryPlan plan = memory.plan();
        var w = memory.workload().workload();
        out.println("memory plan (model shape: " + plan.source() + "; device " + w.device() + ", " + w.dtype()
                + ", engine " + w.engine() + "):");
        out.println("  sizes: " + memory.workload().source());
        int width = plan.items().stream().mapToInt(i -> i.component().length()).max().orElse(10);
        String row = "  %-" + width + "s %11s  %-10s  %s%n";
        out.printf(Locale.ROOT, row, "component", "size", "phase", "note");
        for (MemoryItem i : plan.items()) {
            out.printf(Locale.ROOT, row, i.component(), ByteSizes.format(i.bytes()), RunMemory.phaseName(i.phase()),
                    i.note());
        }
        out.printf(Locale.ROOT, row, "resident", ByteSizes.format(plan.bytes(MemoryPhase.RESIDENT)), "", "");
        if (plan.bytes(MemoryPhase.LOADING) > 0) {
            out.printf(Locale.ROOT, row, "loading", ByteSizes.format(plan.bytes(MemoryPhase.LOADING)), "",
                    "phase total");
        }
        out.printf(Locale.ROOT, row, "generation", ByteSizes.format(plan.bytes(MemoryPhase.GENERATION)), "",
                "phase total");
        out.printf(Locale.ROOT, row, "training", ByteSizes.format(plan.bytes(MemoryPhase.TRAINING)), "",
                "phase total");
        out.printf(Locale.ROOT, row, "peak", ByteSizes.format(plan.peak()), "",
                "resident + " + RunMemory.phaseName(plan.peakPhase()) + ": " + verdict(memory));
    }

    /**
     * One line for the start of a run whose plan fits (the whole table when it does not, or when there is none):
     * a sweep starts many runs, and {@code prefopt validate} shows the components.
     */
    public static void printSummary(RunMemory memory, PrintWriter out) {
        if (memory.plan() == null || memory.exceeds()) {
            print(memory, out);
            return;
        }
        MemoryPlan plan = memory.plan();
        out.println("memory plan: peak " + ByteSizes.format(plan.peak()) + " (resident + "
                + RunMemory.phaseName(plan.peakPhase()) + "), " + verdict(memory)
                + "; prefopt validate lists each component");
    }

    private static String verdict(RunMemory memory) {
        return memory.limit().isEmpty() ? "not checked: " + memory.limitSource()
                : (memory.exceeds() ? "EXCEEDS " : "fits in ") + ByteSizes.format(memory.limit().getAsLong()) + " ("
                + memory.limitSource() + ")";
    }
}
