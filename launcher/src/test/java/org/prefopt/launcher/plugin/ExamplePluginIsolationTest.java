package org.prefopt.launcher.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Stage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.Example;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.api.testing.PluginContract;
import org.prefopt.launcher.Main;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.Problem;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;

/**
 * The third-party plugin of docs/example-plugin, compiled into real jars in a temporary plugins/ folder: it is
 * discovered, validated, wired and used from a config, and its class loader keeps it and the host apart.
 */
class ExamplePluginIsolationTest {

    @TempDir
    static Path temp;

    static Path pluginsDir;
    static Path pluginDir;
    static ComponentRegistry registry;

    @BeforeAll
    static void buildPlugin() throws IOException {
        pluginsDir = temp.resolve("plugins");
        pluginDir = ExamplePluginBuilder.build(pluginsDir, temp.resolve("work"));
        registry = PluginDiscovery.discover(ExamplePluginIsolationTest.class.getClassLoader(), pluginsDir);
    }

    private RegisteredComponent constant() {
        return registry.find(Slot.REWARD, "constant").orElseThrow();
    }

    @Test
    void discoveredFromThePluginsDirectoryWithItsOrigin() {
        assertEquals(List.of(), registry.loadErrors());
        RegisteredComponent c = constant();
        assertEquals(pluginDir.toString(), c.origin());
        assertInstanceOf(PluginClassLoader.class, c.loader());
        assertEquals(1.0, c.defaults().getDouble("value"));
        // the class-path test plugin is found too, with its origin
        assertTrue(registry.find(Slot.REWARD, "exact").orElseThrow().origin().startsWith("class path: "));
    }

    @Test
    void validatedLikeAnyComponent() {
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> resolve(
                "reward = [ { type = constant, valeu = 0.5 }, { type = constant, value = 3 } ]\n"));
        assertEquals(List.of(
                "run.conf:1: reward.0.valeu: unknown option 'valeu' for reward 'constant'. Did you mean 'value'?"
                        + " Supported options: per-word, type, value, weight.",
                "run.conf:1: reward.1.value: must be between -1.0 and 1.0 (got 3.0)"),
                e.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void wiredAndUsedFromAConfig() {
        var run = resolve("reward = [ { type = exact }, { type = constant, value = 0.5, per-word = 0.25, weight = 2 } ]\n");
        try (RunAssembly assembly = Assembler.assemble(run, Stage.PRODUCTION)) {
            List<RewardFunction> rewards = assembly.components(Slot.REWARD, "reward");
            assertEquals(2, rewards.size());
            RewardResult r = rewards.get(1).score(new Example("1", "q", "4", null, 1, null, "t", null), "a b c");
            assertEquals(0.5 + 0.25 * 3, r.value(), 1e-12);
            assertEquals("3", r.extracted());
            assertEquals(2.0, assembly.rewardWeight(1));
            assertInstanceOf(PluginClassLoader.class, rewards.get(1).getClass().getClassLoader());
        }
    }

    @Test
    void classesDoNotLeakEitherWay() throws Exception {
        ClassLoader host = getClass().getClassLoader();
        ClassLoader plugin = constant().loader();
        // the plugin's own dependency is invisible to the host ...
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.textstats.WordCounter", false, host));
        assertSame(plugin, Class.forName("com.example.textstats.WordCounter", false, plugin).getClassLoader());
        // ... and the host's libraries and classes are invisible to the plugin
        for (String hostOnly : List.of("org.prefopt.launcher.Main", "com.fasterxml.jackson.databind.ObjectMapper",
                "picocli.CommandLine", "org.apache.commons.text.similarity.LevenshteinDistance",
                "com.google.common.collect.ImmutableList")) {
            assertThrows(ClassNotFoundException.class, () -> plugin.loadClass(hostOnly), hostOnly);
        }
        // the API packages are shared, so the types match
        for (Class<?> api : List.of(RewardFunction.class, com.google.inject.Module.class,
                com.typesafe.config.Config.class, org.slf4j.Logger.class, jakarta.inject.Inject.class)) {
            assertSame(api, plugin.loadClass(api.getName()), api.getName());
        }
        // resources: the plugin sees its own reference.conf only, not the host's
        List<String> confs = java.util.Collections.list(plugin.getResources("reference.conf")).stream()
                .map(Object::toString).toList();
        assertEquals(1, confs.size(), confs.toString());
        assertTrue(confs.get(0).contains("constant-reward.jar"), confs.toString());
    }

    @Test
    void meetsThePluginContract() {
        var plugin = constant().plugin();
        PluginContract contract = new PluginContract(plugin, f -> com.typesafe.config.ConfigFactory.empty(),
                f -> binder -> { }, f -> true);
        assertEquals(List.of(), contract.checkDiscoverable());
        assertEquals(List.of(), contract.checkNames());
        assertEquals(List.of(), contract.checkDefaults());
        for (var f : plugin.factories()) {
            assertEquals(List.of(), contract.checkDefaultsValid(f));
            assertEquals(List.of(), contract.checkModule(f));
        }
    }

    @Test
    void listedByThePluginsCommand() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new String[] {"plugins", "--plugins-dir", pluginsDir.toString(), "--slot", "reward"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().contains("  constant - a fixed reward plus an optional amount per word of the"
                + " completion\n      from " + pluginDir + " (plugin example-constant-reward)\n      per-word = 0\n"
                + "      value = 1\n"), out.toString());
    }

    private com.typesafe.config.Config raw(String text) {
        return RunConfigLoader.parse(text, "run.conf", List.of());
    }

    private org.prefopt.launcher.config.ResolvedRun resolve(String text) {
        return new RunConfigResolver(registry).resolve(raw(text), "example");
    }
}
