package org.prefopt.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;

/**
 * The contract every prefopt plugin meets. A plugin module tests itself by extending this class:
 *
 * <pre>{@code
 * class MathRewardsContractTest extends PluginContractTest {
 *     protected Plugin plugin() { return new MathRewardsPlugin(); }
 * }
 * }</pre>
 *
 * It checks that ServiceLoader finds the plugin; plugin and component names are lower-kebab and unique per slot;
 * every component has a defaults section in the plugin's own {@code reference.conf} (and nothing else is there);
 * the defaults pass the component's {@code validate()}; the module, wrapped as the launcher wraps it
 * (PrivateModule, requireExplicitBindings), provides the slot type; and every default is read while the module is
 * built and the component created. Override {@link #requiredOptions}, {@link #environment} and
 * {@link #instantiate} for components with required options, injected collaborators or expensive construction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PluginContractTest {

    private PluginContract contract;

    /** The plugin under test. */
    protected abstract Plugin plugin();

    /** Values for the options that are {@code null} (required) in reference.conf. Default: none. */
    protected Config requiredOptions(ComponentFactory<?> factory) {
        return ConfigFactory.empty();
    }

    /**
     * Bindings the component injects from outside its own module, e.g. {@code b -> b.bind(Backend.class)
     * .toInstance(fakeBackend)} for a policy. Default: none.
     */
    protected Module environment(ComponentFactory<?> factory) {
        return binder -> { };
    }

    /**
     * Whether the component may be created in this test. Return false for components that need a GPU, a native
     * library or large files; their binding is still checked, but reads of defaults are not.
     */
    protected boolean instantiate(ComponentFactory<?> factory) {
        return true;
    }

    protected final PluginContract contract() {
        if (contract == null) {
            contract = new PluginContract(plugin(), this::requiredOptions, this::environment, this::instantiate);
        }
        return contract;
    }

    @Test
    void serviceLoaderFindsThePlugin() {
        assertNoViolations(contract().checkDiscoverable());
    }

    @Test
    void namesAreLowerKebabAndUnique() {
        assertNoViolations(contract().checkNames());
    }

    @Test
    void everyComponentHasADefaultsSection() {
        assertNoViolations(contract().checkDefaults());
    }

    @TestFactory
    Stream<DynamicNode> everyComponent() {
        return plugin().factories().stream().map(f -> DynamicContainer.dynamicContainer(
                f.slot().key() + " " + f.name(), Stream.of(
                        DynamicTest.dynamicTest("defaults are valid",
                                () -> assertNoViolations(contract().checkDefaultsValid(f))),
                        DynamicTest.dynamicTest("module provides the slot type and reads every default",
                                () -> assertNoViolations(contract().checkModule(f))))));
    }

    private static void assertNoViolations(List<String> violations) {
        assertTrue(violations.isEmpty(), () -> "plugin contract violated:\n  - " + String.join("\n  - ", violations));
    }
}
