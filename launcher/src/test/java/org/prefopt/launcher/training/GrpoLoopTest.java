package org.prefopt.launcher.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.ReferenceConf;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.rundir.RunDirectory;

/**
 * The training loop with the real GRPO algorithm (found by plugin discovery and built from its own defaults, as a
 * run file's {@code algorithm { type = grpo }} is) on the fake policy: the step contract between the two (rollouts
 * through the step context, the update through {@code PolicyUpdate}, metric names, resume) is tested here, not
 * only with the fake algorithm's own update rule.
 */
class GrpoLoopTest {

    @TempDir
    Path tmp;

    /**
     * GRPO as {@code algorithm { type = grpo }} builds it: the bundled plugin (its jar, or its classes in a reactor
     * build, in a class loader of its own over this one, since the launcher's tests keep the bundled plugins off
     * their class path), its factory, its own defaults with {@code options} over them.
     */
    static Algorithm grpo(Map<String, Object> options) {
        String location = System.getProperty("prefopt.test.algorithms-grpo");
        assertNotNull(location, "surefire sets prefopt.test.algorithms-grpo to the algorithms-grpo artifact");
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(location).toUri().toURL()},
                    GrpoLoopTest.class.getClassLoader());
            Plugin plugin = ServiceLoader.load(Plugin.class, loader).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals("algorithms-grpo")).findFirst().orElseThrow();
            ComponentFactory<?> factory = plugin.factories().stream()
                    .filter(f -> f.slot() == Slot.ALGORITHM && f.name().equals("grpo")).findFirst().orElseThrow();
            Config defaults = ReferenceConf.of(plugin.getClass()).getConfig(Slot.ALGORITHM.defaultsPath("grpo"));
            Config config = ConfigFactory.parseMap(options).withFallback(defaults).resolve();
            return Guice.createInjector(factory.module(config)).getInstance(Algorithm.class);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    static LoopHarness harness(int steps) {
        LoopHarness h = new LoopHarness();
        h.steps = steps;
        h.learningRate = 5;
        h.stages = n -> List.of(Stage.of("grpo",
                grpo(Map.of("group-size", 6, "prompts-per-step", 4, "micro-batch-size", 5)), n));
        return h;
    }

    @Test
    void grpoRaisesTheRewardAndLogsTheLoopsAndTheAlgorithmsMetricsOnce() throws Exception {
        LoopHarness h = harness(60);
        h.checkpointEvery = 0;
        Path run = tmp.resolve("grpo");
        new TrainingJob(h.build(run)).run();
        List<Map<String, Object>> lines = LoopHarness.metrics(run);
        assertEquals(60, lines.size());
        for (Map<String, Object> m : lines) {
            for (String key : List.of("reward", "reward_std", "frac_reward_zero_std", "groups/drawn",
                    "groups/trained", "clip_ratio/region_mean", "nonfinite", "learning_rate", "num_tokens")) {
                assertTrue(m.containsKey(key), key + " missing in " + m);
            }
            assertEquals(0.0, ((Number) m.get("nonfinite")).doubleValue());
            double drawn = ((Number) m.get("groups/drawn")).doubleValue();
            double trained = ((Number) m.get("groups/trained")).doubleValue();
            double zeroStd = ((Number) m.get("frac_reward_zero_std")).doubleValue();
            // GRPO drops groups whose rewards agree (default zero-std-groups = drop); the loop counts them
            assertEquals(drawn - trained, Math.round(zeroStd * drawn), 1e-9, m.toString());
            if (trained > 0) {
                assertTrue(m.containsKey("loss") && m.containsKey("grad_norm"), m.toString());
            }
        }
        LoopHarness.assertRises(lines, "rewards/digit/mean", 8, 0.2);
        assertTrue(h.lastPolicy.updates() > 0);
    }

    /** GRPO keeps no state between steps, so a run cut back to its step-6 checkpoint and resumed is the same run. */
    @Test
    void aResumedGrpoRunMatchesTheUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight");
        new TrainingJob(harness(8).build(straight)).run();

        Path cut = tmp.resolve("cut");
        LoopHarness first = harness(8);
        first.checkpointEvery = 3;
        new TrainingJob(first.build(cut)).run();
        // what a crash during step 7 leaves behind: the step-6 checkpoint as the newest complete one
        AtomicFiles.deleteTree(cut.resolve(RunDirectory.CHECKPOINTS).resolve(RunDirectory.checkpointName(8)));
        LoopHarness resumed = harness(8);
        resumed.checkpointEvery = 3;
        TrainingOutcome outcome = new TrainingJob(resumed.build(cut)).resume();
        assertEquals(7, outcome.firstStep());
        assertEquals(LoopHarness.comparable(straight), LoopHarness.comparable(cut));
    }
}
