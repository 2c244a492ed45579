package org.prefopt.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ReferenceConf;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.plugin.ComponentRegistry;
import org.prefopt.launcher.plugin.RegisteredComponent;
import org.prefopt.launcher.plugin.ThreadContextClassLoader;

/**
 * Turns a parsed run file into a {@link ResolvedRun}: finds every component section, picks its factory, merges
 * it over the factory's defaults, merges the run-level sections over the launcher's defaults, and checks
 * everything, collecting all problems before it fails once with a {@link ConfigProblemsException}.
 *
 * <p>Where component sections may appear: the single slots {@code policy}, {@code backend}, {@code dataset},
 * {@code sampler}, {@code algorithm} and the lists {@code filter}, {@code reward} at top level;
 * {@code eval.sets[i].dataset} and {@code eval.sets[i].filter[j]}; and {@code stages[i].algorithm | dataset |
 * filter[j] | sampler}.
 */
public final class RunConfigResolver {

    public static final String RUN_DEFAULTS = "prefopt.run-defaults";
    public static final String AUTO = "auto";

    /** Run-level sections that are plain key/value sections. */
    private static final List<String> PLAIN_SECTIONS = List.of("run", "prompt", "generation", "checkpoint", "memory");
    private static final Set<String> EVAL_SET_COMPONENTS = Set.of("dataset", "filter");
    private static final Set<String> STAGE_COMPONENTS = Set.of("algorithm", "dataset", "filter", "sampler");

    private final ComponentRegistry registry;
    private final Config runDefaults;
    private final BiConsumer<Config, OptionProblems> runRules;

    public RunConfigResolver(ComponentRegistry registry) {
        this(registry, ReferenceConf.of(RunConfigResolver.class).getConfig(RUN_DEFAULTS), (config, problems) -> { });
    }

    public RunConfigResolver(ComponentRegistry registry, Config runDefaults,
                             BiConsumer<Config, OptionProblems> runRules) {
        this.registry = registry;
        this.runDefaults = runDefaults;
        this.runRules = runRules;
    }

    /**
     * This resolver, also checking {@code rules} on the resolved run-level sections (a training run's ranges and
     * required sections; a standalone component or an evaluation needs none of them). The rules report through
     * the same {@link OptionProblems} as components do, so their problems carry file:line and come with all others.
     */
    public RunConfigResolver withRunRules(BiConsumer<Config, OptionProblems> rules) {
        return new RunConfigResolver(registry, runDefaults, rules);
    }

    /** Names of every top-level section a run file may have. */
    public static List<String> knownSections() {
        List<String> out = new ArrayList<>();
        Slot.values().forEach(s -> out.add(s.key()));
        out.addAll(PLAIN_SECTIONS);
        out.add("eval");
        out.add("stages");
        return out.stream().sorted().toList();
    }

    /**
     * @param raw         the parsed, resolved run file
     * @param defaultName used for {@code run.name} when the file leaves it empty (e.g. the file's base name)
     */
    public ResolvedRun resolve(Config raw, String defaultName) {
        Problems problems = new Problems();
        for (String error : registry.loadErrors()) {
            problems.add("plugins", "", error);
        }
        List<ResolvedComponent> components = new ArrayList<>();
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        ConfigObject root = raw.root();

        for (String key : root.keySet()) {
            if (!knownSections().contains(key)) {
                problems.add(root.get(key).origin(), key, "unknown section '" + key + "'."
                        + Suggestions.didYouMean(key, knownSections())
                        + " Known sections: " + String.join(", ", knownSections()) + ".");
            }
        }
        for (Slot<?> slot : Slot.values()) {
            ConfigValue v = root.get(slot.key());
            if (v == null && slot.equals(Slot.BACKEND) && root.containsKey(Slot.POLICY.key())) {
                // A policy needs somewhere to compute; without a backend section take the best available one.
                v = ConfigValueFactory.fromMap(Map.of("type", AUTO), "implicit backend { type = auto } (no backend section)");
            }
            if (v == null) {
                continue;
            }
            ConfigValue resolved = slot.multiple()
                    ? componentList(slot.key(), slot, v, problems, components)
                    : component(slot.key(), slot, v, problems, components);
            // a section that did not resolve (its problems are reported) still counts as present for the run rules
            out.put(slot.key(), resolved != null ? resolved : v);
        }
        for (String section : PLAIN_SECTIONS) {
            out.put(section, plainSection(section, root.get(section), runDefaults.getObject(section),
                    "section '" + section + "'", Set.of(), problems));
        }
        out.put("eval", eval(root.get("eval"), problems, components));
        if (root.containsKey("stages")) {
            out.put("stages", stages(root.get("stages"), problems, components));
        }
        Config config = ConfigValueFactory.fromMap(out, "resolved run configuration").toConfig();
        try {
            runRules.accept(config, sink("", raw.origin(), problems));
        } catch (ConfigException e) {
            // a value of the wrong type: already reported by the section checks above
            if (problems.isEmpty()) {
                problems.add(e.origin() == null ? raw.origin() : e.origin(), "", RunConfigLoader.stripOrigin(e));
            }
        }
        problems.throwIfAny(new ResolvedRun(config, components));

        if (config.getString("run.name").isEmpty() && defaultName != null && !defaultName.isEmpty()) {
            config = config.withValue("run.name", ConfigValueFactory.fromAnyRef(defaultName, "run file name"));
        }
        return new ResolvedRun(config, components);
    }

    // ---------------------------------------------------------------- run-level sections

    private ConfigValue plainSection(String path, ConfigValue user, ConfigObject defaults, String owner,
                                     Set<String> reserved, Problems problems) {
        if (user == null) {
            SectionChecker.requireSet(defaults, path, owner, defaults.origin(), problems);
            return defaults;
        }
        if (user.valueType() != ConfigValueType.OBJECT) {
            problems.add(user.origin(), path, "expects a section { ... }, got " + SectionChecker.describe(user));
            return defaults;
        }
        ConfigObject section = (ConfigObject) user;
        SectionChecker.check(section, defaults, path, owner, reserved, problems);
        ConfigObject merged = section.withFallback(defaults);
        for (String r : reserved) {
            merged = merged.withoutKey(r);
        }
        SectionChecker.requireSet(merged, path, owner, section.origin(), problems);
        return merged;
    }

    private ConfigValue eval(ConfigValue user, Problems problems, List<ResolvedComponent> components) {
        ConfigObject defaults = runDefaults.getObject("eval");
        ConfigObject merged = (ConfigObject) plainSection("eval", user, defaults, "section 'eval'", Set.of("sets"),
                problems);
        ConfigValue sets = user instanceof ConfigObject o ? o.get("sets") : null;
        List<ConfigValue> resolvedSets = new ArrayList<>();
        if (sets != null) {
            if (!(sets instanceof ConfigList list)) {
                problems.add(sets.origin(), "eval.sets", "expects a list of sets: sets = [ { name = ..., dataset { type"
                        + " = ... } } ], got " + SectionChecker.describe(sets));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    resolvedSets.add(entry("eval.sets." + i, list.get(i), runDefaults.getObject("eval-set"),
                            "eval set", EVAL_SET_COMPONENTS, Set.of("dataset"), problems, components));
                }
            }
        }
        return merged.withValue("sets", ConfigValueFactory.fromIterable(resolvedSets,
                sets == null ? "default eval.sets" : sets.origin().description()));
    }

    private ConfigValue stages(ConfigValue user, Problems problems, List<ResolvedComponent> components) {
        if (!(user instanceof ConfigList list)) {
            problems.add(user.origin(), "stages", "expects a list of stages: stages = [ { algorithm { type = ... },"
                    + " steps = ... } ], got " + SectionChecker.describe(user));
            return ConfigValueFactory.fromIterable(List.of());
        }
        List<ConfigValue> resolved = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            resolved.add(entry("stages." + i, list.get(i), runDefaults.getObject("stage"), "stage",
                    STAGE_COMPONENTS, Set.of(), problems, components));
        }
        return ConfigValueFactory.fromIterable(resolved, list.origin().description());
    }

    /** An entry of eval.sets or stages: plain keys checked against {@code defaults}, plus component sections. */
    private ConfigValue entry(String path, ConfigValue user, ConfigObject defaults, String what,
                              Set<String> componentKeys, Set<String> requiredComponents, Problems problems,
                              List<ResolvedComponent> components) {
        if (!(user instanceof ConfigObject object)) {
            problems.add(user.origin(), path, "expects a section { ... } for each " + what + ", got "
                    + SectionChecker.describe(user));
            return defaults;
        }
        ConfigObject merged = (ConfigObject) plainSection(path, object, defaults, what + " " + path,
                componentKeys, problems);
        for (String required : requiredComponents) {
            if (!object.containsKey(required)) {
                Slot<?> slot = Slot.byKey(required).orElseThrow();
                problems.add(object.origin(), path, "each " + what + " needs a " + required + " { type = ... };"
                        + " available " + slot.key() + " types: " + String.join(", ", registry.names(slot)));
            }
        }
        for (String key : componentKeys.stream().sorted(Comparator.comparingInt(k -> slotIndex(k))).toList()) {
            ConfigValue v = object.get(key);
            if (v == null) {
                continue;
            }
            Slot<?> slot = Slot.byKey(key).orElseThrow();
            String p = path + "." + key;
            ConfigValue resolved = slot.multiple() ? componentList(p, slot, v, problems, components)
                    : component(p, slot, v, problems, components);
            if (resolved != null) {
                merged = merged.withValue(key, resolved);
            }
        }
        return merged;
    }

    private static int slotIndex(String key) {
        return Slot.byKey(key).map(s -> Slot.values().indexOf(s)).orElse(99);
    }

    // ---------------------------------------------------------------- component sections

    private ConfigValue componentList(String path, Slot<?> slot, ConfigValue v, Problems problems,
                                      List<ResolvedComponent> components) {
        if (!(v instanceof ConfigList list)) {
            problems.add(v.origin(), path, slot.key() + " is a list: write " + slot.key() + " = [ { type = ... } ]"
                    + " (got " + SectionChecker.describe(v) + ")");
            return null;
        }
        List<ConfigValue> resolved = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue r = component(path + "." + i, slot, list.get(i), problems, components);
            resolved.add(r == null ? list.get(i) : r);
        }
        return ConfigValueFactory.fromIterable(resolved, list.origin().description());
    }

    private ConfigValue component(String path, Slot<?> slot, ConfigValue v, Problems problems,
                                  List<ResolvedComponent> components) {
        if (!(v instanceof ConfigObject section)) {
            problems.add(v.origin(), path, "expects a section { type = ... }, got " + SectionChecker.describe(v)
                    + ". Available " + slot.key() + " types: " + available(slot));
            return null;
        }
        ConfigValue typeValue = section.get("type");
        if (typeValue == null || typeValue.valueType() != ConfigValueType.STRING) {
            problems.add(typeValue == null ? section.origin() : typeValue.origin(), path + ".type",
                    (typeValue == null ? "missing 'type'" : "'type' must be a name, got " + SectionChecker.describe(typeValue))
                            + ". Available " + slot.key() + " types: " + available(slot));
            return null;
        }
        String type = (String) typeValue.unwrapped();
        Optional<RegisteredComponent> chosen = choose(path, slot, type, typeValue.origin(), problems);
        if (chosen.isEmpty()) {
            return null;
        }
        RegisteredComponent component = chosen.get();
        String owner = slot.key() + " '" + component.name() + "'";
        if (component.defaults() == null) {
            problems.add(typeValue.origin(), path + ".type", "plugin at " + component.origin() + " ships no defaults"
                    + " for " + owner + " (" + slot.defaultsPath(component.name()) + " in its reference.conf); it cannot"
                    + " be configured");
            return null;
        }
        Set<String> reserved = slot.equals(Slot.REWARD) ? Set.of("type", "weight") : Set.of("type");
        ConfigObject defaults = component.defaults().root();
        boolean ok = SectionChecker.check(section, defaults, path, owner, reserved, problems);
        double weight = 1.0;
        ConfigValue weightValue = section.get("weight");
        if (slot.equals(Slot.REWARD) && weightValue != null) {
            if (weightValue.valueType() == ConfigValueType.NUMBER
                    && Double.isFinite(((Number) weightValue.unwrapped()).doubleValue())) {
                weight = ((Number) weightValue.unwrapped()).doubleValue();
            } else {
                problems.add(weightValue.origin(), path + ".weight", "expects a finite number, got "
                        + SectionChecker.describe(weightValue));
                ok = false;
            }
        }
        ConfigObject userOptions = section;
        for (String r : reserved) {
            userOptions = userOptions.withoutKey(r);
        }
        Config options = userOptions.withFallback(defaults).toConfig();
        ok &= SectionChecker.requireSet(options.root(), path, owner, section.origin(), problems);
        if (ok) {
            runValidate(path, component, options, section.origin(), problems);
        }
        components.add(new ResolvedComponent(path, slot, component, options));
        ConfigObject resolved = options.root().withValue("type", ConfigValueFactory.fromAnyRef(component.name(),
                typeValue.origin().description()));
        if (slot.equals(Slot.REWARD)) {
            resolved = resolved.withValue("weight", weightValue != null ? weightValue
                    : ConfigValueFactory.fromAnyRef(1, "default reward weight"));
        }
        return resolved;
    }

    private Optional<RegisteredComponent> choose(String path, Slot<?> slot, String type, ConfigOrigin origin,
                                                 Problems problems) {
        if (AUTO.equals(type) && slot.equals(Slot.BACKEND)) {
            return auto(path, slot, origin, problems);
        }
        List<RegisteredComponent> found = registry.lookup(slot, type);
        if (found.isEmpty()) {
            List<String> names = registry.names(slot);
            problems.add(origin, path + ".type", "unknown " + slot.key() + " '" + type + "'."
                    + Suggestions.didYouMean(type, names) + " Available " + slot.key() + " types: " + available(slot)
                    + (slot.equals(Slot.BACKEND) ? " (or auto)." : "."));
            return Optional.empty();
        }
        if (found.size() > 1) {
            problems.add(origin, path + ".type", slot.key() + " '" + type + "' is provided by " + found.size()
                    + " plugins: " + found.stream().map(RegisteredComponent::origin).collect(Collectors.joining(" and "))
                    + ". Remove one of them (e.g. from the plugins directory).");
            return Optional.empty();
        }
        return Optional.of(found.get(0));
    }

    private Optional<RegisteredComponent> auto(String path, Slot<?> slot, ConfigOrigin origin, Problems problems) {
        List<RegisteredComponent> candidates = registry.of(slot);
        List<String> unavailable = new ArrayList<>();
        RegisteredComponent best = null;
        for (RegisteredComponent c : candidates) {
            boolean available;
            try {
                available = withLoader(c, () -> c.factory().isAvailable());
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            if (!available) {
                unavailable.add(c.name());
            } else if (registry.lookup(slot, c.name()).size() == 1
                    && (best == null || c.factory().rank() > best.factory().rank())) {
                best = c;
            }
        }
        if (best == null) {
            problems.add(origin, path + ".type", "no " + slot.key() + " is available for type = auto"
                    + (candidates.isEmpty() ? ": none is installed" : " (installed but unavailable here: "
                    + String.join(", ", unavailable) + ")"));
            return Optional.empty();
        }
        return Optional.of(best);
    }

    private static void runValidate(String path, RegisteredComponent component, Config options, ConfigOrigin section,
                                     Problems problems) {
        OptionProblems sink = sink(path + ".", section, problems);
        try {
            withLoader(component, () -> {
                component.factory().validate(options, sink);
                return null;
            });
        } catch (ConfigException e) {
            problems.add(e.origin() == null ? section : e.origin(), path, RunConfigLoader.stripOrigin(e));
        } catch (RuntimeException | LinkageError e) {
            problems.add(section, path, "validate() of " + component.slot().key() + " '" + component.name()
                    + "' (" + component.origin() + ") failed: " + e);
        }
    }

    private String available(Slot<?> slot) {
        List<String> names = registry.names(slot);
        return names.isEmpty() ? "none installed" : String.join(", ", names);
    }

    /**
     * Where a component's or the run's own checks report: {@code prefix + key}, at the file and line the key was set
     * (at {@code fallback} when it was not set, e.g. a missing section).
     */
    private static OptionProblems sink(String prefix, ConfigOrigin fallback, Problems problems) {
        return (opts, key, message) -> {
            ConfigOrigin where = fallback;
            try {
                if (opts.hasPath(key)) {
                    where = opts.getValue(key).origin();
                }
            } catch (ConfigException e) {
                // a malformed key from the plugin: report at the section
            }
            problems.add(where, prefix + key, message);
        };
    }

    /** Runs plugin code with the plugin's class loader as context loader (libraries inside plugins rely on it). */
    public static <R> R withLoader(RegisteredComponent c, java.util.function.Supplier<R> action) {
        try (ThreadContextClassLoader ignored = new ThreadContextClassLoader(c.loader())) {
            return action.get();
        }
    }

    /** Shown by {@code prefopt plugins}: the defaults of the run-level sections. */
    public Config runDefaults() {
        return runDefaults;
    }
}
