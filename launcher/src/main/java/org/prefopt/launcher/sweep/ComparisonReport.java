package org.prefopt.launcher.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.prefopt.launcher.training.AtomicFiles;

/** Writes a sweep's comparison into its directory: {@code comparison.md}. */
public final class ComparisonReport {

    public static final String MARKDOWN = "comparison.md";

    private ComparisonReport() {
    }

    /** @return the main report file */
    public static Path write(Comparison comparison, SweepSpec spec) {
        Path md = spec.directory().resolve(MARKDOWN);
        AtomicFiles.write(md, comparison.markdown().getBytes(StandardCharsets.UTF_8));
        return md;
    }
}
