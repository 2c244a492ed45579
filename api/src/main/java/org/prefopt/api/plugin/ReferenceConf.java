package org.prefopt.api.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;

/**
 * Loads the {@code reference.conf} shipped in the same jar (or class directory) as a plugin class. Plugins on the
 * class path share one class loader, so {@code ConfigFactory.defaultReference()} would merge all of them; reading
 * the file next to the plugin class keeps each plugin's defaults its own (and lets the launcher tell duplicates
 * apart, and a plugin's contract test check only what that plugin ships).
 */
public final class ReferenceConf {

    private ReferenceConf() {
    }

    public static Config of(Class<?> pluginClass) {
        ClassLoader loader = pluginClass.getClassLoader();
        CodeSource source = pluginClass.getProtectionDomain().getCodeSource();
        String location = source == null || source.getLocation() == null ? null : source.getLocation().toExternalForm();
        Config merged = ConfigFactory.empty();
        try {
            for (URL url : Collections.list(loader.getResources("reference.conf"))) {
                if (location == null || url.toExternalForm().contains(location)) {
                    merged = merged.withFallback(ConfigFactory.parseURL(url));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference.conf of " + pluginClass.getName(), e);
        }
        return merged.resolve();
    }
}
