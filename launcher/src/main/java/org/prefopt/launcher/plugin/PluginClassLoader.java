package org.prefopt.launcher.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * Class loader of one third-party plugin (a directory of jars or a single jar under {@code plugins/}).
 *
 * <p>Modelled on Trino's {@code PluginClassLoader}: the parent is the platform class loader, so the plugin sees the
 * JDK and its own jars but none of the host's libraries. Only the packages of the plugin API (prefopt's SPI and the
 * libraries its signatures use: Guice, jakarta.inject, aopalliance, Typesafe Config, SLF4J) are delegated to the
 * host, so that a {@code ComponentFactory} created here is the same type the launcher knows. Everything else, e.g.
 * a second copy of Jackson in the plugin, stays separate in both directions.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Package prefixes (with trailing dot) whose classes come from the host. */
    public static final List<String> SHARED_PACKAGES = List.of(
            "org.prefopt.api.",
            "com.google.inject.",
            "jakarta.inject.",
            "org.aopalliance.",
            "com.typesafe.config.",
            "org.slf4j.");

    private final ClassLoader hostLoader;
    private final List<String> sharedResourcePrefixes;

    public PluginClassLoader(String name, List<URL> urls, ClassLoader hostLoader) {
        super(name, urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        this.hostLoader = hostLoader;
        this.sharedResourcePrefixes = SHARED_PACKAGES.stream().map(p -> p.replace('.', '/')).toList();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isShared(name)) {
                    loaded = hostLoader.loadClass(name);
                } else {
                    // platform classes first (parent), then the plugin's own jars
                    loaded = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return hostLoader.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return hostLoader.getResources(name);
        }
        return super.getResources(name);
    }

    private static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private boolean isSharedResource(String resource) {
        String normalized = resource.startsWith("/") ? resource.substring(1) : resource;
        for (String prefix : sharedResourcePrefixes) {
            if (normalized.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
