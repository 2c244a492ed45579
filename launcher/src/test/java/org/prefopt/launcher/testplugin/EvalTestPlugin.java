package org.prefopt.launcher.testplugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.training.fakes.FakeAlgorithm;
import org.prefopt.launcher.training.fakes.FakePolicy;
import org.prefopt.launcher.training.fakes.FakeRewards;
import org.prefopt.launcher.training.fakes.Fixtures;

/**
 * Components that really train, for command-line tests of whole runs ({@code prefopt run}, {@code prefopt eval})
 * without the bundled plugins: the fake policy and REINFORCE algorithm of the loop tests, their digit dataset and
 * reward, and an {@code hf} policy that loads a fake policy exported to a directory holding {@code config.json}
 * (the layout check the real {@code hf} policy makes). Not registered on the class path (the other tests pin the
 * class path's component lists): EvalCommandTest packs it with its defaults (src/test/resources/eval-test-plugin)
 * into a plugin jar and passes {@code --plugins-dir}.
 */
public final class EvalTestPlugin implements Plugin {

    @Override
    public String name() {
        return "launcher-eval-test";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(
                TestPlugin.factory(Slot.POLICY, "fake", "the loop tests' trainable fake policy",
                        o -> new FakePolicy(o.getDouble("learning-rate")), null),
                TestPlugin.factory(Slot.POLICY, "hf", "a fake policy exported to a directory with config.json",
                        o -> loadExported(Path.of(o.getString("path"))), null),
                TestPlugin.factory(Slot.ALGORITHM, "reinforce", "the loop tests' REINFORCE",
                        o -> new FakeAlgorithm(o.getInt("prompts-per-step"), o.getInt("group-size")), null),
                TestPlugin.factory(Slot.DATASET, "digits", "examples with a digit answer",
                        o -> new DigitsDataset(o.getString("prefix"), o.getInt("count")), null),
                TestPlugin.factory(Slot.REWARD, "digit", "1 when the first character is the gold digit",
                        o -> FakeRewards.digit(), null));
    }

    private static PolicyModel loadExported(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException(dir + " has no config.json");
        }
        FakePolicy policy = new FakePolicy(0.0);
        policy.loadTrainingState(dir);
        return policy;
    }

    /** {@link Fixtures#pool} as a dataset. */
    public record DigitsDataset(String prefix, int count) implements org.prefopt.api.data.Dataset {
        @Override
        public String describe() {
            return "digits(" + prefix + ", " + count + ")";
        }

        @Override
        public java.util.stream.Stream<org.prefopt.api.data.Example> examples(
                java.util.function.Consumer<org.prefopt.api.data.DataIssue> skipped) {
            return Fixtures.pool(prefix, count).stream();
        }
    }
}
