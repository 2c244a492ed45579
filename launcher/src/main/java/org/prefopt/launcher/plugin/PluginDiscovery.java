package org.prefopt.launcher.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.ReferenceConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}: those on the launcher's class path (the bundled ones) and those under a
 * plugins directory, where every subdirectory (all the jars in it) and every top-level jar gets its own
 * {@link PluginClassLoader}.
 */
public final class PluginDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDiscovery.class);
    public static final String CLASS_PATH = "class path";

    private final List<RegisteredComponent> components = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private PluginDiscovery() {
    }

    /**
     * @param classPathLoader loader whose class path is searched ({@code null}: skip the class path)
     * @param pluginsDir      directory of third-party plugins ({@code null} or missing: none)
     */
    public static ComponentRegistry discover(ClassLoader classPathLoader, Path pluginsDir) {
        PluginDiscovery d = new PluginDiscovery();
        if (classPathLoader != null) {
            d.load(classPathLoader, null);
        }
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            d.scan(pluginsDir, classPathLoader == null ? PluginDiscovery.class.getClassLoader() : classPathLoader);
        } else if (pluginsDir != null && Files.exists(pluginsDir)) {
            d.errors.add(pluginsDir + ": the plugins directory is not a directory");
        }
        return new ComponentRegistry(d.components, d.errors);
    }

    private void scan(Path pluginsDir, ClassLoader host) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(pluginsDir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            errors.add(pluginsDir + ": cannot list the plugins directory: " + e.getMessage());
            return;
        }
        for (Path entry : entries) {
            try {
                List<URL> urls;
                if (Files.isDirectory(entry)) {
                    urls = jarsIn(entry);
                    if (urls.isEmpty()) {
                        LOG.warn("{}: plugin directory holds no jar; ignored", entry);
                        continue;
                    }
                } else if (entry.getFileName().toString().endsWith(".jar")) {
                    urls = List.of(entry.toUri().toURL());
                } else {
                    continue;
                }
                PluginClassLoader loader = new PluginClassLoader("plugin:" + entry.getFileName(), urls, host);
                int before = components.size();
                load(loader, entry);
                if (components.size() == before && errors.stream().noneMatch(e -> e.startsWith(entry.toString()))) {
                    errors.add(entry + ": no " + Plugin.class.getName() + " found (the jar needs META-INF/services/"
                            + Plugin.class.getName() + ")");
                }
            } catch (IOException | UncheckedIOException e) {
                errors.add(entry + ": cannot read plugin: " + e.getMessage());
            }
        }
    }

    private static List<URL> jarsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<URL> urls = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                urls.add(toUrl(p));
            }
            return urls;
        }
    }

    private static URL toUrl(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(p.toString(), e);
        }
    }

    /** Loads every Plugin visible to {@code loader}; {@code location} null means the class path. */
    private void load(ClassLoader loader, Path location) {
        try (ThreadContextClassLoader ignored = new ThreadContextClassLoader(loader)) {
            Iterator<Plugin> it = ServiceLoader.load(Plugin.class, loader).iterator();
            while (true) {
                Plugin plugin;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    plugin = it.next();
                } catch (ServiceConfigurationError e) {
                    errors.add((location == null ? CLASS_PATH : location.toString()) + ": cannot load a plugin: "
                            + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                    continue;
                }
                // A plugins-dir loader also sees the class path's services through nothing (parent = platform),
                // so every plugin found here belongs to this location.
                String origin = location == null
                        ? CLASS_PATH + ": " + ClassLocations.location(plugin.getClass())
                        : location.toString();
                register(plugin, origin, loader);
            }
        }
    }

    private void register(Plugin plugin, String origin, ClassLoader loader) {
        Config reference;
        List<ComponentFactory<?>> factories;
        try {
            reference = ReferenceConf.of(plugin.getClass());
            factories = plugin.factories();
        } catch (ConfigException e) {
            errors.add(origin + ": plugin " + plugin.getClass().getName() + " has an invalid reference.conf: "
                    + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            errors.add(origin + ": plugin " + plugin.getClass().getName() + " failed to list its factories: " + e);
            return;
        }
        for (ComponentFactory<?> f : factories) {
            String path = f.slot().defaultsPath(f.name());
            Config defaults = reference.hasPath(path) ? reference.getConfig(path) : null;
            components.add(new RegisteredComponent(f, plugin, origin, loader, defaults));
            LOG.debug("found {} '{}' in {}", f.slot().key(), f.name(), origin);
        }
    }
}
