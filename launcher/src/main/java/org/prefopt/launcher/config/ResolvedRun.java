package org.prefopt.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.List;
import java.util.Optional;

/**
 * A validated run configuration.
 *
 * @param config     the whole run: run-level sections merged over the launcher's defaults, component sections
 *                   merged over their plugin's defaults (with {@code type}, and {@code weight} for rewards)
 * @param components every component section, in file order
 */
public record ResolvedRun(Config config, List<ResolvedComponent> components) {

    public ResolvedRun {
        components = List.copyOf(components);
    }

    public Optional<ResolvedComponent> component(String path) {
        return components.stream().filter(c -> c.path().equals(path)).findFirst();
    }

    /** The resolved configuration as HOCON text that validates again to the same run (used to save and resume). */
    public String render() {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }
}
