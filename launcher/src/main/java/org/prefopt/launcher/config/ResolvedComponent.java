package org.prefopt.launcher.config;

import com.typesafe.config.Config;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.plugin.RegisteredComponent;

/**
 * A component chosen by a run file, validated.
 *
 * @param path      where its section is in the run config, e.g. {@code reward.1} or {@code eval.sets.0.dataset};
 *                  also the {@code @Named} key it is exposed under
 * @param slot      its slot
 * @param component the factory and where it came from
 * @param options   the options handed to the factory's module: the user's section over the defaults, without
 *                  {@code type} and {@code weight}
 */
public record ResolvedComponent(String path, Slot<?> slot, RegisteredComponent component, Config options) {

    public String type() {
        return component.name();
    }
}
