package org.prefopt.launcher.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Module;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.testing.PluginContract;
import org.prefopt.launcher.testplugin.TestPlugin;

/** The contract's checks do fail: a plugin that breaks each rule gets each violation named. */
class PluginContractSelfTest {

    /** Not registered with ServiceLoader; its factories break the rules. */
    static final class BadPlugin implements Plugin {
        @Override
        public String name() {
            return "Bad_Plugin";
        }

        @Override
        public List<ComponentFactory<?>> factories() {
            return List.of(bad("grpo", options -> binder -> { }), bad("grpo", options -> binder -> { }),
                    bad("UnRead", options -> binder -> binder.bind(Algorithm.class)
                            .toInstance(new TestPlugin.TestAlgorithm("x", options.getInt("group-size"), 0))));
        }

        private static ComponentFactory<Algorithm> bad(String name, java.util.function.Function<Config, Module> module) {
            return new ComponentFactory<>() {
                @Override
                public Slot<Algorithm> slot() {
                    return Slot.ALGORITHM;
                }

                @Override
                public String name() {
                    return name;
                }

                @Override
                public String description() {
                    return "bad";
                }

                @Override
                public Module module(Config options) {
                    return module.apply(options);
                }
            };
        }
    }

    @Test
    void violationsAreNamed() {
        // BadPlugin lives in the test-classes directory, whose reference.conf is the test plugin's
        PluginContract c = new PluginContract(new BadPlugin(), f -> ConfigFactory.empty(), f -> binder -> { }, f -> true);
        assertEquals(List.of("ServiceLoader does not find " + BadPlugin.class.getName()
                + ": list it in src/main/resources/META-INF/services/org.prefopt.api.plugin.Plugin"), c.checkDiscoverable());
        assertEquals(List.of("plugin name 'Bad_Plugin' is not lower-kebab (e.g. math-rewards)",
                "two factories of slot algorithm are named 'grpo'",
                BadPlugin.class.getName() + "$1: name 'UnRead' is not lower-kebab (e.g. gsm8k-answer)"),
                c.checkNames());
        List<String> defaults = c.checkDefaults();
        assertEquals("reference.conf has no section prefopt.defaults.algorithm.UnRead { ... } (write"
                + " prefopt.defaults.algorithm.UnRead {} if the component has no options)", defaults.get(0));
        assertTrue(defaults.contains(
                "reference.conf has defaults prefopt.defaults.algorithm.dpo but the plugin has no such component"),
                defaults.toString());
        ComponentFactory<?> grpo = new BadPlugin().factories().get(0);
        assertEquals(List.of("grpo: module does not bind org.prefopt.api.algorithm.Algorithm (bind the slot type without"
                + " annotation)"), c.checkModule(grpo));
    }

    @Test
    void unreadDefaultsAreNamed() {
        // reads group-size but not prompts-per-step of prefopt.defaults.algorithm.grpo
        ComponentFactory<Algorithm> partial = new ComponentFactory<>() {
            @Override
            public Slot<Algorithm> slot() {
                return Slot.ALGORITHM;
            }

            @Override
            public String name() {
                return "grpo";
            }

            @Override
            public String description() {
                return "reads one of two options";
            }

            @Override
            public Module module(Config options) {
                return binder -> binder.bind(Algorithm.class)
                        .toInstance(new TestPlugin.TestAlgorithm("x", options.getInt("group-size"), 0));
            }
        };
        Plugin plugin = new Plugin() {
            @Override
            public String name() {
                return "partial";
            }

            @Override
            public List<ComponentFactory<?>> factories() {
                return List.of(partial);
            }
        };
        PluginContract c = new PluginContract(plugin, f -> ConfigFactory.empty(), f -> binder -> { }, f -> true);
        assertEquals(List.of("grpo: defaults never read by the component: [prompts-per-step] (remove them from"
                + " reference.conf, or read them)"), c.checkModule(partial));
    }
}
