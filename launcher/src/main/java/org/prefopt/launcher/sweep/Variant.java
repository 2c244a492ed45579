package org.prefopt.launcher.sweep;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a sweep.
 *
 * @param name      unique name, also the run directory's name inside the sweep directory
 * @param group     the variant's name in the sweep file, before grid expansion (equal to name without a grid)
 * @param config    the complete run configuration (base, then the variant's settings, then its grid values)
 * @param forkFrom  name of the variant whose last checkpoint this one starts from, or null to start from scratch
 * @param grid      the grid values of this variant, path to rendered value (empty without a grid)
 */
public record Variant(String name, String group, Config config, String forkFrom, Map<String, String> grid) {

    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(config, "config");
        grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    }
}
