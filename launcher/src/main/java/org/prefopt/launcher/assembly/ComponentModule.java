package org.prefopt.launcher.assembly;

import com.google.inject.Binding;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.PrivateModule;
import com.google.inject.Provider;
import com.google.inject.Scopes;
import com.google.inject.name.Names;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.PrivateElements;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.plugin.ThreadContextClassLoader;

/**
 * One chosen component in its own private environment. It installs the factory's module, which binds the slot type
 * unannotated, and exposes that binding as a singleton under {@code @Named(<config path>)} (e.g.
 * {@code @Named("reward.1")}), so that several components of one slot live side by side in one injector.
 *
 * <p>Components may inject the component of another top-level single slot by its plain type (a policy injects
 * {@code Backend}). Binding those plain types in the root injector is not possible, since every private environment
 * binds its own slot type plainly and Guice forbids a child from rebinding a parent's key; so each private
 * environment gets its own links from the plain types it does not bind itself to the exposed named keys.
 */
final class ComponentModule<T> extends PrivateModule {

    private final ResolvedComponent component;
    private final Slot<T> slot;
    private final Map<Slot<?>, String> topLevel;

    /**
     * @param topLevel the top-level single-slot components of the run: slot to its path ({@code "backend"}, ...)
     */
    @SuppressWarnings("unchecked")
    ComponentModule(ResolvedComponent component, Map<Slot<?>, String> topLevel) {
        this.component = component;
        this.slot = (Slot<T>) component.slot();
        this.topLevel = topLevel;
    }

    static Key<?> namedKey(Slot<?> slot, String path) {
        return Key.get(slot.type(), Names.named(path));
    }

    @Override
    protected void configure() {
        String label = slot.key() + " '" + component.type() + "' at " + component.path() + " (from "
                + component.component().origin() + ")";
        List<Element> elements;
        try {
            elements = RunConfigResolver.withLoader(component.component(), () -> {
                Module module = component.component().factory().module(component.options());
                return Elements.getElements(currentStage(), module);
            });
        } catch (RuntimeException | LinkageError e) {
            addError("%s: building its module failed: %s", label, e);
            return;
        }
        Set<Key<?>> bound = new HashSet<>();
        for (Element element : elements) {
            if (element instanceof Binding<?> b) {
                bound.add(b.getKey());
            } else if (element instanceof PrivateElements p) {
                bound.addAll(p.getExposedKeys());
            }
        }
        install(Elements.getModule(elements));

        Key<T> plain = Key.get(slot.type());
        if (!bound.contains(plain)) {
            addError("%s: its module does not bind %s (a factory's module must bind its slot type without annotation)",
                    label, slot.type().getName());
            return;
        }
        @SuppressWarnings("unchecked")
        Key<T> named = (Key<T>) namedKey(slot, component.path());
        bind(named).toProvider(new ContextLoaderProvider<>(getProvider(plain), component.component().loader()))
                .in(Scopes.SINGLETON);
        expose(named);

        for (Map.Entry<Slot<?>, String> e : topLevel.entrySet()) {
            if (!bound.contains(Key.get(e.getKey().type()))) {
                link(e.getKey(), e.getValue());
            }
        }
    }

    private <S> void link(Slot<S> other, String path) {
        @SuppressWarnings("unchecked")
        Key<S> named = (Key<S>) namedKey(other, path);
        bind(other.type()).to(named);
    }

    /** Creates the component with its plugin's class loader as context loader. */
    private record ContextLoaderProvider<T>(Provider<T> delegate, ClassLoader loader) implements Provider<T> {
        @Override
        public T get() {
            try (ThreadContextClassLoader ignored = new ThreadContextClassLoader(loader)) {
                return delegate.get();
            }
        }
    }
}
