package org.prefopt.algorithms.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.ValidationProblems;

class DpoPluginTest {

    private static Config defaults() {
        return ConfigFactory.parseResources("reference.conf").getConfig("prefopt.defaults.algorithm.dpo");
    }

    private static List<String> problems(Config options) {
        return ValidationProblems.of(DpoPlugin.DPO, options);
    }

    @Test
    void pluginIsDiscoverableAndBindsTheAlgorithm() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("algorithms-dpo")).findFirst().orElseThrow();
        ComponentFactory<?> factory = plugin.factories().get(0);
        assertEquals("dpo", factory.name());
        assertEquals(List.of(), problems(defaults()));
        Algorithm a = Guice.createInjector(factory.module(defaults())).getInstance(Algorithm.class);
        assertTrue(a instanceof DpoAlgorithm);
    }

    @Test
    void validationReportsRangesAndCombinations() {
        Config bad = defaults()
                .withValue("beta", ConfigValueFactory.fromAnyRef(0))
                .withValue("loss-type", ConfigValueFactory.fromAnyRef("hinge"))
                .withValue("label-smoothing", ConfigValueFactory.fromAnyRef(0.1))
                .withValue("pairs", ConfigValueFactory.fromAnyRef("both"))
                .withValue("completions-per-prompt", ConfigValueFactory.fromAnyRef(4))
                .withValue("pairs-per-prompt", ConfigValueFactory.fromAnyRef(3));
        List<String> p = problems(bad);
        assertEquals(4, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("beta: must be between"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("pairs: must be one of [online, offline]")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("label-smoothing: applies only to")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("pairs-per-prompt: pairs use distinct completions")),
                p.toString());
    }
}
