package org.prefopt.algorithms.grpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.prefopt.algorithms.sft.SftAlgorithm;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.testing.ValidationProblems;

class GrpoPluginTest {

    private static Config defaults(String name) {
        return ConfigFactory.parseResources("reference.conf").getConfig("prefopt.defaults.algorithm." + name);
    }

    private static List<String> problems(ComponentFactory<?> factory, Config options) {
        return ValidationProblems.of(factory, options);
    }

    @Test
    void pluginIsDiscoverableAndBindsAlgorithms() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("algorithms-grpo")).findFirst().orElseThrow();
        assertEquals(List.of("grpo", "sft"), plugin.factories().stream().map(ComponentFactory::name).toList());
        for (ComponentFactory<?> f : plugin.factories()) {
            Config options = defaults(f.name());
            assertEquals(List.of(), problems(f, options), f.name() + " defaults must validate");
            Algorithm a = Guice.createInjector(f.module(options)).getInstance(Algorithm.class);
            Class<?> expected = f.name().equals("grpo") ? GrpoAlgorithm.class : SftAlgorithm.class;
            assertTrue(expected.isInstance(a), a.getClass().getName());
        }
    }

    @Test
    void grpoValidationReportsRangesAndCombinations() {
        Config bad = defaults("grpo")
                .withValue("group-size", ConfigValueFactory.fromAnyRef(1))
                .withValue("epsilon-low", ConfigValueFactory.fromAnyRef(1.5))
                .withValue("scale-rewards", ConfigValueFactory.fromAnyRef("grp"))
                .withValue("loss-aggregation", ConfigValueFactory.fromAnyRef("dapo"))
                .withValue("max-completion-length", ConfigValueFactory.fromAnyRef(256))
                .withValue("compute-entropy", ConfigValueFactory.fromAnyRef(false))
                .withValue("entropy-coefficient", ConfigValueFactory.fromAnyRef(0.01));
        List<String> p = problems(GrpoPlugin.GRPO, bad);
        assertEquals(4, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("group-size: must be between 2"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("scale-rewards: must be one of")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("entropy-coefficient: an entropy bonus needs")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("epsilon-low: must be between")), p.toString());
    }

    @Test
    void sftValidationReportsRanges() {
        Config bad = defaults("sft").withValue("micro-batch-size", ConfigValueFactory.fromAnyRef(0));
        assertEquals(List.of("micro-batch-size: must be between 1 and 1000000 (got 0)"),
                problems(GrpoPlugin.SFT, bad));
    }
}
