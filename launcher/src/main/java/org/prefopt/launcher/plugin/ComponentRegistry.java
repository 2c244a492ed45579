package org.prefopt.launcher.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.prefopt.api.plugin.Slot;

/**
 * Every component factory discovery found, by slot and name, plus what went wrong while loading plugins.
 * A name claimed by two plugins is kept with both entries so the problem can name both origins.
 */
public final class ComponentRegistry {

    private final List<RegisteredComponent> components;
    private final List<String> loadErrors;
    private final Map<String, List<RegisteredComponent>> byKey = new LinkedHashMap<>();

    public ComponentRegistry(List<RegisteredComponent> components, List<String> loadErrors) {
        this.components = List.copyOf(components);
        this.loadErrors = List.copyOf(loadErrors);
        for (RegisteredComponent c : this.components) {
            byKey.computeIfAbsent(key(c.slot(), c.name()), k -> new ArrayList<>()).add(c);
        }
    }

    private static String key(Slot<?> slot, String name) {
        return slot.key() + "/" + name;
    }

    /** All components in slot order, then by name. */
    public List<RegisteredComponent> all() {
        List<RegisteredComponent> out = new ArrayList<>(components);
        out.sort(Comparator.<RegisteredComponent>comparingInt(c -> Slot.values().indexOf(c.slot()))
                .thenComparing(RegisteredComponent::name).thenComparing(RegisteredComponent::origin));
        return out;
    }

    public List<RegisteredComponent> of(Slot<?> slot) {
        return all().stream().filter(c -> c.slot().equals(slot)).toList();
    }

    /** Every registration of {@code name} in {@code slot}: empty if unknown, more than one if duplicated. */
    public List<RegisteredComponent> lookup(Slot<?> slot, String name) {
        return byKey.getOrDefault(key(slot, name), List.of());
    }

    public Optional<RegisteredComponent> find(Slot<?> slot, String name) {
        List<RegisteredComponent> found = lookup(slot, name);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Sorted distinct names of a slot's components. */
    public List<String> names(Slot<?> slot) {
        TreeSet<String> names = new TreeSet<>();
        for (RegisteredComponent c : components) {
            if (c.slot().equals(slot)) {
                names.add(c.name());
            }
        }
        return List.copyOf(names);
    }

    /** Names claimed by more than one plugin, each with all its registrations. */
    public List<List<RegisteredComponent>> duplicates() {
        return byKey.values().stream().filter(l -> l.size() > 1).map(List::copyOf).toList();
    }

    /** Plugins that could not be loaded (bad jar, failing constructor, unreadable reference.conf). */
    public List<String> loadErrors() {
        return loadErrors;
    }
}
