package org.prefopt.launcher.plugin;

import java.net.URL;
import java.security.CodeSource;

/** Where classes come from, for origins in {@code prefopt plugins} and error messages. */
public final class ClassLocations {

    private ClassLocations() {
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
