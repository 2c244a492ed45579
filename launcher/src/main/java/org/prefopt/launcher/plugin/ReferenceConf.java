package org.prefopt.launcher.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;

/**
 * Loads the {@code reference.conf} shipped in the same jar (or class directory) as a class. Plugins on the class
 * path share one class loader, so {@code ConfigFactory.defaultReference()} would merge all of them; reading the
 * file next to the plugin class keeps each plugin's defaults its own and tells duplicates apart.
 */
public final class ReferenceConf {

    private ReferenceConf() {
    }

    public static Config of(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        CodeSource source = type.getProtectionDomain().getCodeSource();
        String location = source == null || source.getLocation() == null ? null : source.getLocation().toExternalForm();
        Config merged = ConfigFactory.empty();
        try {
            for (URL url : Collections.list(loader.getResources("reference.conf"))) {
                if (location == null || url.toExternalForm().contains(location)) {
                    merged = merged.withFallback(ConfigFactory.parseURL(url));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference.conf of " + type.getName(), e);
        }
        return merged.resolve();
    }

    /** Where a class was loaded from, as a path or URL string. */
    public static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown location";
        }
        URL url = source.getLocation();
        if ("file".equals(url.getProtocol())) {
            try {
                return java.nio.file.Path.of(url.toURI()).toString();
            } catch (Exception e) {
                return url.toExternalForm();
            }
        }
        return url.toExternalForm();
    }
}
