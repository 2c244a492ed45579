package org.prefopt.launcher.training;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.rollout.WeightedReward;
import org.prefopt.launcher.rundir.RunDirectory;
import org.prefopt.launcher.training.fakes.FakeAlgorithm;
import org.prefopt.launcher.training.fakes.FakeBackend;
import org.prefopt.launcher.training.fakes.FakePolicy;
import org.prefopt.launcher.training.fakes.FakeRewards;
import org.prefopt.launcher.training.fakes.FakeSampler;
import org.prefopt.launcher.training.fakes.Fixtures;

/** Builds runs of the fake policy the way a fresh process would: new objects every time. */
final class LoopHarness {

    static final ObjectMapper JSON = new ObjectMapper();

    int steps = 10;
    int checkpointEvery = 2;
    int keepLast = 2;
    int evalEvery = 0;
    boolean withEval = false;
    NonFinitePolicy onNonFinite = NonFinitePolicy.STOP;
    long seed = 42;
    double learningRate = 0.5;
    /** Builds the stages from the fresh policy's step budget; default: one stage of the fake algorithm. */
    Function<Integer, List<Stage>> stages = n -> List.of(Stage.of("main",
            new org.prefopt.launcher.training.fakes.FakeAlgorithm(3, 4), n));
    FakePolicy lastPolicy;
    FakeBackend lastBackend;

    TrainingSetup build(Path runDir) {
        lastPolicy = new FakePolicy(learningRate);
        lastBackend = new FakeBackend();
        RunSettings settings = new RunSettings(seed, steps, 1, checkpointEvery, keepLast, evalEvery, withEval,
                onNonFinite, 2);
        List<EvalSet> evalSets = withEval ? List.of(new EvalSet("heldout", Fixtures.pool("e", 6), 2, true)) : List.of();
        EvalSettings evalSettings = new EvalSettings(EvalSettings.FIRST, 1.0, 2, List.of(1, 2), true, 4);
        return new TrainingSetup(lastPolicy, lastBackend, Fixtures.pool("q", 8), new FakeSampler(),
                List.of(new WeightedReward(FakeRewards.digit(), 1.0), new WeightedReward(FakeRewards.shortness(), 0.5)),
                stages.apply(steps), new PromptTemplate("Q: {question} A:", false, null),
                new SamplingParams(6, 1.0, 1.0, 0, false, List.of(), 0), settings, evalSettings, evalSets, runDir);
    }

    static List<Map<String, Object>> metrics(Path runDir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve(RunDirectory.METRICS_FILE))) {
            out.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
        }
        return out;
    }

    /** Asserts that {@code metric}, averaged over the last {@code window} steps, beats the first by {@code margin}. */
    static void assertRises(List<Map<String, Object>> lines, String metric, int window, double margin) {
        double early = 0;
        double late = 0;
        for (int i = 0; i < window; i++) {
            early += ((Number) lines.get(i).get(metric)).doubleValue() / window;
            late += ((Number) lines.get(lines.size() - 1 - i).get(metric)).doubleValue() / window;
        }
        org.junit.jupiter.api.Assertions.assertTrue(late > early + margin,
                metric + " should rise by more than " + margin + ": early " + early + ", late " + late);
    }

    /** The metrics without wall-clock values, which differ between any two runs. */
    static List<Map<String, Object>> comparable(Path runDir) throws IOException {
        List<Map<String, Object>> out = metrics(runDir);
        for (Map<String, Object> m : out) {
            m.keySet().removeIf(k -> k.equals("step_time") || k.startsWith("time/"));
        }
        return out;
    }

    static Set<String> checkpointNames(Path runDir) throws IOException {
        Path root = runDir.resolve(RunDirectory.CHECKPOINTS);
        try (var s = Files.list(root)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
