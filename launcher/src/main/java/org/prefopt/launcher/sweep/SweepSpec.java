package org.prefopt.launcher.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A parsed sweep file.
 *
 * @param name       the sweep's name (its directory under the output directory)
 * @param directory  where the sweep keeps its runs, configs and comparison
 * @param variants   the runs, in file order (grid cells in row-major order of the grid's keys)
 * @param parallel   how many runs may train at the same time
 * @param compareTo  the variant (base name, before grid expansion) differences are reported against
 * @param findings   the study's claims the comparison checks ({@link Findings#NONE} for none)
 */
public record SweepSpec(String name, Path directory, List<Variant> variants, int parallel, String compareTo,
                        Findings findings) {

    public SweepSpec {
        variants = List.copyOf(variants);
        Objects.requireNonNull(findings, "findings");
    }

    /** The same sweep with another number of runs training at the same time. */
    public SweepSpec withParallel(int runs) {
        return new SweepSpec(name, directory, variants, runs, compareTo, findings);
    }
}
