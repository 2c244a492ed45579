package org.prefopt.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prefopt.launcher.plugin.ComponentRegistry;
import org.prefopt.launcher.plugin.PluginDiscovery;

/** Pins the validation messages users see (as Flink's FactoryUtilTest pins its factory errors). */
class ConfigValidationTest {

    static final ComponentRegistry REGISTRY = PluginDiscovery.discover(ConfigValidationTest.class.getClassLoader(), null);

    static ResolvedRun resolve(String text, String... overrides) {
        Config raw = RunConfigLoader.parse(text, "run.conf", List.of(overrides));
        return new RunConfigResolver(REGISTRY).resolve(raw, "test-run");
    }

    static List<String> problems(String text, String... overrides) {
        ConfigProblemsException e = assertThrows(ConfigProblemsException.class, () -> resolve(text, overrides));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void typoInTypeAndUnknownKeyAreReportedTogetherWithLinesAndSuggestions() {
        List<String> p = problems("""
                algorithm { type = grpoo }
                dataset {
                  type = synthetic
                  cuont = 10
                }
                """);
        assertEquals(List.of(
                "run.conf:1: algorithm.type: unknown algorithm 'grpoo'. Did you mean 'grpo'? Available algorithm types: dpo, grpo.",
                "run.conf:4: dataset.cuont: unknown option 'cuont' for dataset 'synthetic'. Did you mean 'count'?"
                        + " Supported options: count, seed, style, type."), p);
    }

    @Test
    void wrongTypesMissingRequiredAndValidateProblems() {
        List<String> p = problems("""
                algorithm { type = grpo, group-size = 1 }
                dataset { type = jsonl }
                filter = [ { type = max-difficulty, max = "lots" } ]
                reward = [ { type = exact, trim = maybe, weight = heavy } ]
                generation { temperature = [1] }
                """);
        assertEquals(List.of(
                "run.conf:1: algorithm.group-size: must be between 2 and 1024 (got 1)",
                "run.conf:2: dataset.path: missing required option 'path' for dataset 'jsonl' (set dataset.path = ...)",
                "run.conf:3: filter.0.max: expects a number (default: 5), got a string \"lots\"",
                "run.conf:4: reward.0.trim: expects a boolean (true or false) (default: true), got a string \"maybe\"",
                "run.conf:4: reward.0.weight: expects a finite number, got a string \"heavy\"",
                "run.conf:5: generation.temperature: expects a number (default: 1), got a list [1]"), p);
    }

    @Test
    void nestedSectionsAndUnknownSections() {
        List<String> p = problems("""
                algorithm { type = grpo, group-size = "8" }
                policy { type = tiny-test, lora { enabled = true, rnak = 4 } }
                genration { temperature = 0.7 }
                """);
        assertEquals(List.of(
                "run.conf:2: policy.lora.rnak: unknown option 'rnak' for policy 'tiny-test'. Did you mean 'rank'?"
                        + " Supported options: enabled, rank.",
                "run.conf:3: genration: unknown section 'genration'. Did you mean 'generation'? Known sections:"
                        + " algorithm, backend, checkpoint, dataset, engine, eval, filter, generation, memory, policy, prompt,"
                        + " reward, run, sampler, stages."), p);
    }

    @Test
    void missingTypeAndNotASection() {
        List<String> p = problems("""
                sampler { }
                reward { type = exact }
                """);
        assertEquals(List.of(
                "run.conf:1: sampler.type: missing 'type'. Available sampler types: in-order",
                "run.conf:2: reward: reward is a list: write reward = [ { type = ... } ] (got a section { ... })"), p);
    }

    @Test
    void nestedComponentSitesAreCheckedWithTheirPaths() {
        List<String> p = problems("""
                eval {
                  every = 10
                  sets = [
                    { name = heldout, dataset { type = synthetc }, filter = [ { type = max-difficulty, mx = 2 } ] }
                    { dataset { type = synthetic } }
                  ]
                }
                stages = [ { algorithm { type = dpo, beta = 0.2 } }, { steps = 5, algorithm { type = grpo, size = 2 } } ]
                """);
        assertEquals(List.of(
                "run.conf:4: eval.sets.0.dataset.type: unknown dataset 'synthetc'. Did you mean 'synthetic'?"
                        + " Available dataset types: jsonl, synthetic.",
                "run.conf:4: eval.sets.0.filter.0.mx: unknown option 'mx' for filter 'max-difficulty'. Did you mean"
                        + " 'max'? Supported options: max, type.",
                "run.conf:5: eval.sets.1.name: missing required option 'name' for eval set eval.sets.1 (set"
                        + " eval.sets.1.name = ...)",
                "run.conf:8: stages.0.steps: missing required option 'steps' for stage stages.0 (set stages.0.steps = ...)",
                "run.conf:8: stages.1.algorithm.size: unknown option 'size' for algorithm 'grpo'. Supported options:"
                        + " group-size, prompts-per-step, type."), p);
    }

    @Test
    void commandLineOverridesAreValidatedAndNamed() {
        List<String> p = problems("algorithm { type = grpo }\n", "algorithm.group-size=0", "algorithm.gruop-size=4");
        assertEquals(List.of(
                "command line -o algorithm.group-size=0: algorithm.group-size: must be between 2 and 1024 (got 0)",
                "command line -o algorithm.gruop-size=4: algorithm.gruop-size: unknown option 'gruop-size' for"
                        + " algorithm 'grpo'. Did you mean 'group-size'? Supported options: group-size, prompts-per-step,"
                        + " type."), p);
    }

    @Test
    void backendAutoPicksTheHighestRankedAvailableOneAndIsImpliedByAPolicy() {
        ResolvedRun run = resolve("policy { type = tiny-test }\n");
        assertEquals("cpu-test", run.component("backend").orElseThrow().type());
        assertEquals("cpu-test", run.config().getString("backend.type"));
        assertEquals("auto", resolve("backend { type = auto }\n").component("backend").map(c -> "auto").orElseThrow());
        List<String> p = problems("backend { type = cpu-tset }\n");
        assertEquals(List.of("run.conf:1: backend.type: unknown backend 'cpu-tset'. Did you mean 'cpu-test'? Available"
                + " backend types: cpu-test, gpu-test (or auto)."), p);
    }

    @Test
    void resolvedConfigHoldsDefaultsTypesWeightsAndRunName() {
        ResolvedRun run = resolve("""
                algorithm { type = grpo, group-size = 4 }
                reward = [ { type = exact }, { type = format, weight = 0.1 } ]
                generation { temperature = 0.7 }
                """);
        Config c = run.config();
        assertEquals(4, c.getInt("algorithm.group-size"));
        assertEquals(8, c.getInt("algorithm.prompts-per-step"));
        assertEquals("grpo", c.getString("algorithm.type"));
        assertEquals(1.0, c.getConfigList("reward").get(0).getDouble("weight"));
        assertEquals(0.1, c.getConfigList("reward").get(1).getDouble("weight"));
        assertEquals(0.7, c.getDouble("generation.temperature"));
        assertEquals(256, c.getInt("generation.max-new-tokens"));
        assertEquals("test-run", c.getString("run.name"));
        assertEquals(List.of(), c.getList("eval.sets").unwrapped());
        // the options a factory gets carry neither type nor weight
        assertTrue(!run.component("reward.1").orElseThrow().options().hasPath("weight"));
        assertTrue(!run.component("algorithm").orElseThrow().options().hasPath("type"));
        // the rendered config validates again to the same config (what resume relies on)
        ResolvedRun again = new RunConfigResolver(REGISTRY).resolve(RunConfigLoader.parse(run.render(), "saved",
                List.of()), null);
        assertEquals(run.render(), again.render());
    }

    @Test
    void parseErrorsAndSubstitutionErrorsNameTheLine() {
        List<String> p = problems("algorithm { type = grpo\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("run.conf:"), p.get(0));
        List<String> s = problems("algorithm { type = grpo, group-size = ${missing} }\n");
        assertEquals(List.of("run.conf:1: Could not resolve substitution to a value: ${missing}"), s);
    }
}
