package org.prefopt.launcher.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.memory.MemoryWorkload;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.plugin.RegisteredComponent;

/** The sizes a run file asks of its policy, as the memory plan reads them. */
class RunWorkloadTest {

    private static Config root(String extra) {
        return ConfigFactory.parseString(extra + """
                memory { limit = auto, prompt-tokens = 100 }
                generation { max-new-tokens = 50 }
                eval { batch-size = 64, samples = 0, sets = [] }
                """).resolve();
    }

    private static <T> ResolvedComponent component(String path, Slot<T> slot, String type, String options) {
        ComponentFactory<T> f = ComponentFactory.of(slot, type, "test", o -> null);
        return new ResolvedComponent(path, slot, new RegisteredComponent(f, null, "test", null, null),
                ConfigFactory.parseString(options));
    }

    @Test
    void onlineDpoGeneratesCompletionsPerPromptAndTrainsOnPairs() {
        MemoryWorkload w = RunWorkload.of(root(""), List.of(component("algorithm", Slot.ALGORITHM, "dpo",
                "pairs = online, prompts-per-step = 8, completions-per-prompt = 4, micro-batch-size = 4"))).workload();
        assertEquals(8, w.generationPrompts());
        assertEquals(32, w.generationRows());
        assertEquals(8, w.trainingRows(), "4 pairs of two sequences");
        assertEquals(100, w.promptTokens());
        assertEquals(50, w.newTokens());
        assertEquals(150, w.trainingSequenceTokens());
        assertEquals("cpu", w.device());
        assertEquals("policy", w.engine());
    }

    @Test
    void stagesCountTheirLargestAndABackendAndEngineAreRead() {
        RunWorkload r = RunWorkload.of(root(""), List.of(
                component("backend", Slot.BACKEND, "djl-pytorch", "device = \"cuda:0\", dtype = float16"),
                component("engine", Slot.ENGINE, "onnxruntime", "threads = 0"),
                component("stages.0.algorithm", Slot.ALGORITHM, "sft", "prompts-per-step = 32, micro-batch-size = 8"),
                component("stages.1.algorithm", Slot.ALGORITHM, "grpo",
                        "group-size = 16, prompts-per-step = 16, micro-batch-size = 4")));
        MemoryWorkload w = r.workload();
        assertEquals(256, w.generationRows());
        assertEquals(16, w.generationPrompts());
        assertEquals(8, w.trainingRows());
        assertEquals("cuda:0", w.device());
        assertEquals("float16", w.dtype());
        assertEquals("onnxruntime", w.engine());
        assertEquals("stages.0.algorithm (sft): micro-batches of 8 sequences; stages.1.algorithm (grpo): 16 prompts"
                + " x 16 completions generated, micro-batches of 4 sequences; prompts up to 100 tokens"
                + " (memory.prompt-tokens), completions up to 50 (generation.max-new-tokens)", r.source());
    }

    @Test
    void anEvaluationBatchLargerThanTheRolloutsSizesTheGeneration() {
        Config root = root("").withFallback(ConfigFactory.parseString("")).withValue("eval",
                ConfigFactory.parseString("eval { batch-size = 64, samples = 2, sets = [ { name = a, samples = 4 } ] }")
                        .getValue("eval"));
        MemoryWorkload w = RunWorkload.of(root, List.of(component("algorithm", Slot.ALGORITHM, "grpo",
                "group-size = 8, prompts-per-step = 8, micro-batch-size = 8"))).workload();
        assertEquals(64, w.generationPrompts());
        assertEquals(256, w.generationRows(), "64 prompts x the largest set's 4 samples, above 8 x 8 rollouts");
    }
}
