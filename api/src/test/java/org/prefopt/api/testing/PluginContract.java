package org.prefopt.api.testing;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.PrivateModule;
import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;

/**
 * The checks behind {@link PluginContractTest}, usable on their own. Every check returns the list of violations
 * (empty when the plugin complies) so that the message names everything wrong at once.
 */
public final class PluginContract {

    /** Lower-kebab: lower-case letters and digits, words joined by single hyphens, starting with a letter. */
    public static final Pattern LOWER_KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final Plugin plugin;
    private final Config reference;
    private final Function<ComponentFactory<?>, Config> requiredOptions;
    private final Function<ComponentFactory<?>, Module> environment;
    private final Predicate<ComponentFactory<?>> instantiate;

    /**
     * @param requiredOptions values for options whose default is {@code null}, per factory
     * @param environment     bindings a component injects from outside (e.g. a {@code Backend}), per factory
     * @param instantiate     whether a factory's component may be created here (false for ones that need a GPU
     *                        or large files); when false, only the binding is checked, in {@link Stage#TOOL}
     */
    public PluginContract(Plugin plugin, Function<ComponentFactory<?>, Config> requiredOptions,
                          Function<ComponentFactory<?>, Module> environment,
                          Predicate<ComponentFactory<?>> instantiate) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.reference = PluginDefaults.of(plugin.getClass());
        this.requiredOptions = requiredOptions;
        this.environment = environment;
        this.instantiate = instantiate;
    }

    public Config reference() {
        return reference;
    }

    /** ServiceLoader, looking through the plugin's own class loader, finds the plugin class. */
    public List<String> checkDiscoverable() {
        Class<?> type = plugin.getClass();
        boolean found = ServiceLoader.load(Plugin.class, type.getClassLoader()).stream()
                .anyMatch(p -> p.type() == type);
        return found ? List.of() : List.of("ServiceLoader does not find " + type.getName()
                + ": list it in src/main/resources/META-INF/services/" + Plugin.class.getName());
    }

    /** Plugin and component names are lower-kebab; a name is used once per slot; descriptions are one line. */
    public List<String> checkNames() {
        List<String> out = new ArrayList<>();
        if (plugin.name() == null || !LOWER_KEBAB.matcher(plugin.name()).matches()) {
            out.add("plugin name '" + plugin.name() + "' is not lower-kebab (e.g. math-rewards)");
        }
        if (plugin.factories() == null || plugin.factories().isEmpty()) {
            out.add("plugin " + plugin.name() + " lists no factories");
            return out;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (ComponentFactory<?> f : plugin.factories()) {
            String label = f.getClass().getName();
            if (f.slot() == null || !Slot.values().contains(f.slot())) {
                out.add(label + ": slot() must be one of the Slot constants, got " + f.slot());
                continue;
            }
            if (f.name() == null || !LOWER_KEBAB.matcher(f.name()).matches()) {
                out.add(label + ": name '" + f.name() + "' is not lower-kebab (e.g. gsm8k-answer)");
            }
            if (seen.merge(f.slot().key() + "/" + f.name(), 1, Integer::sum) == 2) {
                out.add("two factories of slot " + f.slot().key() + " are named '" + f.name() + "'");
            }
            String d = f.description();
            if (d == null || d.isBlank() || d.contains("\n")) {
                out.add(label + ": description() must be one non-empty line");
            }
        }
        return out;
    }

    /**
     * Every factory has {@code prefopt.defaults.<slot>.<name>} in the plugin's reference.conf, its option keys
     * are lower-kebab, and the file holds no defaults for components the plugin does not have.
     */
    public List<String> checkDefaults() {
        List<String> out = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (ComponentFactory<?> f : plugin.factories()) {
            String path = f.slot().defaultsPath(f.name());
            expected.add(path);
            if (!reference.hasPathOrNull(path) || reference.getIsNull(path)
                    || reference.getValue(path).valueType() != ConfigValueType.OBJECT) {
                out.add("reference.conf has no section " + path + " { ... } (write " + path
                        + " {} if the component has no options)");
                continue;
            }
            for (String key : PluginDefaults.leafPaths(reference.getObject(path))) {
                for (String segment : ConfigUtil.splitPath(key)) {
                    if (!LOWER_KEBAB.matcher(segment).matches()) {
                        out.add(path + "." + key + ": option names are lower-kebab");
                        break;
                    }
                }
                if (key.equals("type") || (f.slot() == Slot.REWARD && key.equals("weight"))) {
                    out.add(path + "." + key + ": '" + key + "' is reserved for the launcher");
                }
            }
        }
        if (reference.hasPath("prefopt.defaults")) {
            ConfigObject slots = reference.getObject("prefopt.defaults");
            for (Map.Entry<String, ConfigValue> s : slots.entrySet()) {
                if (s.getValue().valueType() != ConfigValueType.OBJECT) {
                    out.add("prefopt.defaults." + s.getKey() + " is not a section");
                    continue;
                }
                for (String name : ((ConfigObject) s.getValue()).keySet()) {
                    String path = "prefopt.defaults." + s.getKey() + "." + name;
                    if (!expected.contains(path)) {
                        out.add("reference.conf has defaults " + path + " but the plugin has no such component");
                    }
                }
            }
        }
        return out;
    }

    /** The defaults merged with {@link #requiredOptions}, as the launcher would pass them to {@code module()}. */
    public Config options(ComponentFactory<?> f) {
        Config defaults = reference.getConfig(f.slot().defaultsPath(f.name()));
        Config required = requiredOptions.apply(f);
        return required.withFallback(defaults).resolve();
    }

    /** No required option is left {@code null} and the factory's own validate() accepts the defaults. */
    public List<String> checkDefaultsValid(ComponentFactory<?> f) {
        List<String> out = new ArrayList<>();
        Config options = options(f);
        for (String key : PluginDefaults.leafPaths(options.root())) {
            if (options.getIsNull(key)) {
                out.add(f.name() + ": option '" + key + "' is required (null in reference.conf); supply a value in"
                        + " requiredOptions(factory) of the contract test");
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        OptionProblems problems = (config, key, message) -> out.add(f.name() + "." + key + ": " + message);
        f.validate(options, problems);
        return out;
    }

    /**
     * The module, wrapped as the launcher wraps it (a PrivateModule under requireExplicitBindings that exposes
     * the slot type), yields the slot type; and every default was read while building and creating it.
     */
    public List<String> checkModule(ComponentFactory<?> f) {
        List<String> out = new ArrayList<>();
        RecordingConfig recorder = new RecordingConfig();
        Config options = recorder.wrap(options(f));
        boolean create = instantiate.test(f);
        List<com.google.inject.spi.Element> elements;
        try {
            elements = com.google.inject.spi.Elements.getElements(f.module(options));
        } catch (RuntimeException e) {
            out.add(f.name() + ": module(options) or its configure() failed: " + e);
            return out;
        }
        boolean binds = elements.stream().anyMatch(e -> (e instanceof com.google.inject.Binding<?> b
                && b.getKey().equals(Key.get(f.slot().type())))
                || (e instanceof com.google.inject.spi.PrivateElements p
                && p.getExposedKeys().contains(Key.get(f.slot().type()))));
        if (!binds) {
            out.add(f.name() + ": module does not bind " + f.slot().type().getName()
                    + " (bind the slot type without annotation)");
            return out;
        }
        Injector injector;
        try {
            injector = Guice.createInjector(create ? Stage.PRODUCTION : Stage.TOOL, binder -> {
                binder.requireExplicitBindings();
                binder.disableCircularProxies();
            }, environment.apply(f), exposing(f.slot(), com.google.inject.spi.Elements.getModule(elements)));
        } catch (RuntimeException e) {
            out.add(f.name() + ": the injector cannot be created: " + e.getMessage()
                    + "\n(bind everything the module injects explicitly; supply outside bindings such as a Backend"
                    + " through environment(factory) of the contract test)");
            return out;
        }
        Key<?> key = Key.get(f.slot().type());
        if (!create) {
            return out;
        }
        Object component;
        try {
            component = injector.getInstance(key);
        } catch (RuntimeException e) {
            out.add(f.name() + ": creating " + f.slot().type().getSimpleName() + " failed: " + e.getMessage());
            return out;
        }
        if (!f.slot().type().isInstance(component)) {
            out.add(f.name() + ": binding yields " + component + ", not a " + f.slot().type().getName());
        }
        List<String> unread = new ArrayList<>();
        for (String key2 : PluginDefaults.leafPaths(reference.getObject(f.slot().defaultsPath(f.name())))) {
            if (!recorder.covers(key2)) {
                unread.add(key2);
            }
        }
        if (!unread.isEmpty()) {
            out.add(f.name() + ": defaults never read by the component: " + unread
                    + " (remove them from reference.conf, or read them)");
        }
        if (component instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                out.add(f.name() + ": close() failed: " + e);
            }
        }
        return out;
    }

    private static <T> Module exposing(Slot<T> slot, Module module) {
        return new PrivateModule() {
            @Override
            protected void configure() {
                install(module);
                expose(slot.type());
            }
        };
    }
}
