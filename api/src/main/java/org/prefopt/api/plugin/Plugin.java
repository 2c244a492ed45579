package org.prefopt.api.plugin;

import java.util.List;

/**
 * Entry point of a plugin jar, declared in {@code META-INF/services/org.prefopt.api.plugin.Plugin}.
 * A plugin is a named bundle of component factories; it holds no state.
 */
public interface Plugin {

    /** Lower-kebab name shown by {@code prefopt plugins}. */
    String name();

    List<ComponentFactory<?>> factories();
}
