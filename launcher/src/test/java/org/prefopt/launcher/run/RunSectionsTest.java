package org.prefopt.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.training.NonFinitePolicy;
import org.prefopt.launcher.training.RunSettings;
import org.prefopt.launcher.training.fakes.Fixtures;

class RunSectionsTest {

    /** The run-level defaults this package needs (to go under prefopt.run-defaults in the launcher's reference.conf). */
    /** The launcher's own run defaults, so this test reads exactly what a run file is merged over. */
    static final Config DEFAULTS = ConfigFactory.parseResources(RunSections.class.getClassLoader(), "reference.conf")
            .getConfig("prefopt.run-defaults");

    private static Config run(String user) {
        return ConfigFactory.parseString(user).withFallback(DEFAULTS).resolve();
    }

    @Test
    void readsTheRunLevelSections() {
        Config c = run("""
                run { seed = 7, steps = 60, on-non-finite = skip }
                generation { max-new-tokens = 64, temperature = 0.9, stop = ["\\n\\n"] }
                prompt { template = "Q: {question}\\nA:", chat-template = true, system = "be brief" }
                eval { every = 20, samples = 8, pass-at = [1, 4, 8], correct-reward = total, correct-threshold = 0.5 }
                checkpoint { every = 20, keep-last = 3 }
                """);
        RunSettings s = RunSections.settings(c);
        assertEquals(new RunSettings(7, 60, 1, 20, 3, 20, true, NonFinitePolicy.SKIP, 2), s);
        SamplingParams g = RunSections.generation(c);
        assertEquals(new SamplingParams(64, 0.9, 1.0, 0, false, List.of("\n\n"), 7), g);
        assertEquals(new PromptTemplate("Q: {question}\nA:", true, "be brief"), RunSections.prompt(c));
        EvalSettings e = RunSections.evaluation(c);
        assertEquals(new EvalSettings("total", 0.5, 8, List.of(1, 4, 8), true, 64), e);

        Config set = ConfigFactory.parseString("{ name = heldout, samples = 3 }");
        EvalSet es = RunSections.evalSet(set, Fixtures.pool("e", 3), e);
        assertEquals("heldout", es.name());
        assertEquals(3, es.samples());
        assertTrue(es.greedy());
        EvalSet inherited = RunSections.evalSet(ConfigFactory.parseString("{ name = x, samples = -1 }"),
                Fixtures.pool("e", 3), e);
        assertEquals(8, inherited.samples());
    }

    @Test
    void badStepsIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSections.settings(run("run { steps = 0 }")));
        assertTrue(e.getMessage().contains("run.steps"), e.getMessage());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSections.settings(run("run { steps = 5, on-non-finite = ignore }")));
        assertTrue(e.getMessage().contains("run.on-non-finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RunSections.settings(run("run { steps = 5 }, checkpoint { keep-last = 0 }")));
        assertTrue(e.getMessage().contains("checkpoint.keep-last"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunSections.prompt(run("prompt { template = hello }")));
        assertTrue(e.getMessage().contains("{question}"), e.getMessage());
    }
}
