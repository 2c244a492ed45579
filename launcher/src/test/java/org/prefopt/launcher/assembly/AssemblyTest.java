package org.prefopt.launcher.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.name.Names;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.model.Backend;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.launcher.config.ConfigProblemsException;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.plugin.ComponentRegistry;
import org.prefopt.launcher.plugin.PluginDiscovery;
import org.prefopt.launcher.testplugin.TestPlugin;

class AssemblyTest {

    static final ComponentRegistry REGISTRY = PluginDiscovery.discover(AssemblyTest.class.getClassLoader(), null);

    static ResolvedRun resolve(String text) {
        return new RunConfigResolver(REGISTRY).resolve(RunConfigLoader.parse(text, "run.conf", List.of()), "t");
    }

    static final String RUN = """
            policy { type = tiny-test, lora { enabled = true } }
            dataset { type = synthetic, count = 10 }
            filter = [ { type = max-difficulty, max = 2 } ]
            sampler { type = in-order }
            reward = [ { type = exact }, { type = format, marker = "!", weight = 0.1 } ]
            algorithm { type = grpo, group-size = 4 }
            eval { sets = [ { name = heldout, dataset { type = synthetic, count = 3 } } ] }
            stages = [ { steps = 2, algorithm { type = dpo } }, { steps = 3 } ]
            """;

    @Test
    void everyComponentIsReachableByItsPathAndSingleton() {
        try (RunAssembly a = Assembler.assemble(resolve(RUN), Stage.PRODUCTION)) {
            assertEquals("policy(layers=2, lora=true/8) on cpu-test", a.component(Slot.POLICY, "policy").toString());
            Backend backend = a.component(Slot.BACKEND, "backend");
            assertEquals("cpu-test", backend.info().engine());
            assertEquals(10, ((TestPlugin.CountDataset) a.component(Slot.DATASET, "dataset")).count());
            assertEquals(3, ((TestPlugin.CountDataset) a.component(Slot.DATASET, "eval.sets.0.dataset")).count());
            assertEquals("dpo", ((TestPlugin.TestAlgorithm) a.component(Slot.ALGORITHM, "stages.0.algorithm")).kind());
            assertEquals(4, ((TestPlugin.TestAlgorithm) a.component(Slot.ALGORITHM, "algorithm")).size());
            assertEquals(1, a.components(Slot.FILTER, "filter").size());
            List<RewardFunction> rewards = a.components(Slot.REWARD, "reward");
            assertEquals(List.of("exact", "format"), rewards.stream().map(RewardFunction::name).toList());
            assertEquals(1.0, a.rewardWeight(0));
            assertEquals(0.1, a.rewardWeight(1));
            assertEquals(List.of(), a.components(Slot.FILTER, "eval.sets.0.filter"));
            assertTrue(a.has("stages.0.algorithm"));
            assertTrue(!a.has("stages.1.algorithm"));
            // singletons: the same instance on every lookup, also through the injector's named key
            assertSame(a.component(Slot.DATASET, "dataset"), a.component(Slot.DATASET, "dataset"));
            assertSame(backend, a.injector().getInstance(Key.get(Backend.class, Names.named("backend"))));
            assertNotSame(a.component(Slot.DATASET, "dataset"), a.component(Slot.DATASET, "eval.sets.0.dataset"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.component(Slot.DATASET, "stages.1.dataset"));
            assertTrue(e.getMessage().startsWith("the run configures no dataset at 'stages.1.dataset'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.component(Slot.DATASET, "algorithm"));
            a.close();
            assertTrue(((TestPlugin.TestBackend) backend).closed, "close() closes the backend");
        }
    }

    @Test
    void toolStageChecksWiringWithoutCreating() {
        RunAssembly a = Assembler.assemble(resolve(RUN), Stage.TOOL);
        assertThrows(IllegalStateException.class, () -> a.component(Slot.DATASET, "dataset"));
        a.close();
    }

    @Test
    void aComponentThatInjectsAMissingSlotFailsWiringWithTheGuiceMessage() {
        // the policy needs a Backend; with the implicit backend removed from the resolved run, wiring must fail
        ResolvedRun full = resolve("policy { type = tiny-test }\n");
        ResolvedRun noBackend = new ResolvedRun(full.config(), full.components().stream()
                .filter(c -> !c.slot().equals(Slot.BACKEND)).toList());
        AssemblyException e = assertThrows(AssemblyException.class, () -> Assembler.assemble(noBackend, Stage.TOOL));
        assertTrue(e.getMessage().contains("Backend"), e.getMessage());
    }

    @Test
    void standaloneComponentsGoThroughValidation() {
        try (Standalone<Dataset> s = Assembler.standalone(REGISTRY, Slot.DATASET, "jsonl", Map.of("path", "f.jsonl"))) {
            assertEquals("f.jsonl", ((TestPlugin.CountDataset) s.component()).style());
        }
        try (Standalone<RewardFunction> s = Assembler.standalone(REGISTRY, Slot.REWARD, "format", Map.of())) {
            assertEquals("format", s.component().name());
        }
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class,
                () -> Assembler.standalone(REGISTRY, Slot.DATASET, "synthetic", Map.of("count", "many", "cuont", "1")));
        assertEquals(List.of(
                "command line --count: dataset.count: expects a number (default: 100), got a string \"many\"",
                "command line --cuont: dataset.cuont: unknown option 'cuont' for dataset 'synthetic'. Did you mean"
                        + " 'count'? Supported options: count, seed, style, type."),
                e.problems().stream().map(Object::toString).sorted().toList());
    }
}
