package org.prefopt.launcher.plugin;

import com.typesafe.config.Config;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;

/**
 * A component factory found by discovery, with where it came from.
 *
 * @param factory  the factory
 * @param plugin   the plugin that lists it
 * @param origin   where the plugin was loaded from: a jar or directory path, prefixed with "class path: " for
 *                 plugins on the launcher's class path
 * @param loader   the plugin's class loader (context class loader while its code runs)
 * @param defaults the factory's section {@code prefopt.defaults.<slot>.<name>} of the plugin's reference.conf, or
 *                 null when the plugin ships none (reported as a problem when the component is used)
 */
public record RegisteredComponent(ComponentFactory<?> factory, Plugin plugin, String origin, ClassLoader loader,
                                  Config defaults) {

    public Slot<?> slot() {
        return factory.slot();
    }

    public String name() {
        return factory.name();
    }
}
