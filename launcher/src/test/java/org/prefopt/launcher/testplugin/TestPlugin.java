package org.prefopt.launcher.testplugin;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.prefopt.api.algorithm.Algorithm;
import org.prefopt.api.algorithm.StepContext;
import org.prefopt.api.algorithm.StepResult;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptSampler;
import org.prefopt.api.memory.MemoryItem;
import org.prefopt.api.memory.MemoryPhase;
import org.prefopt.api.memory.MemoryPlan;
import org.prefopt.api.memory.MemoryPlanner;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.BackendInfo;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;

/**
 * Components for the launcher's own tests, one or two per slot, so that the tests do not depend on the bundled
 * plugin modules. Registered in src/test/resources/META-INF/services; defaults in src/test/resources/reference.conf.
 */
public final class TestPlugin implements Plugin {

    @Override
    public String name() {
        return "launcher-test";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(
                factory(Slot.ALGORITHM, "grpo", "test GRPO", o -> new TestAlgorithm("grpo", o.getInt("group-size"), o.getInt("prompts-per-step")),
                        (o, p) -> p.requireRange(o, "group-size", 2, 1024)),
                factory(Slot.ALGORITHM, "dpo", "test DPO", o -> new TestAlgorithm("dpo", (int) Math.round(o.getDouble("beta") * 100), 0),
                        null),
                factory(Slot.DATASET, "synthetic", "counted examples",
                        o -> new CountDataset(o.getInt("count"), o.getInt("seed"), o.getString("style")), null),
                factory(Slot.DATASET, "jsonl", "a file", o -> new CountDataset(1, 0, o.getString("path")), null),
                factory(Slot.FILTER, "max-difficulty", "keeps difficulty <= max", o -> new MaxFilter(o.getInt("max")),
                        null),
                factory(Slot.SAMPLER, "in-order", "draws in order", o -> new InOrderSampler(), null),
                factory(Slot.REWARD, "exact", "1 when the completion equals the gold answer",
                        o -> new ExactReward(o.getBoolean("trim")), null),
                factory(Slot.REWARD, "format", "1 when the completion contains the marker",
                        o -> new MarkerReward(o.getString("marker")), null),
                new BackendFactory("cpu-test", 1, true),
                new BackendFactory("gpu-test", 10, false),
                factory(Slot.ENGINE, "counting", "counts its calls and generates nothing",
                        o -> new CountingEngine(), null),
                new PolicyFactory());
    }

    /** A rollout engine that counts the calls routed to it (the test policy cannot generate). */
    public static final class CountingEngine implements RolloutEngine {
        public int calls;

        @Override
        public List<CompletionGroup> generate(PolicyModel policy, List<GenerationRequest> requests,
                                              SamplingParams params) {
            calls++;
            return List.of();
        }
    }

    interface Maker<T> {
        T make(Config options);
    }

    interface Check {
        void check(Config options, OptionProblems problems);
    }

    static <T> ComponentFactory<T> factory(Slot<T> slot, String name, String description, Maker<T> maker,
                                           Check check) {
        return new ComponentFactory<>() {
            @Override
            public Slot<T> slot() {
                return slot;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Module module(Config options) {
                com.google.inject.Provider<T> provider = () -> maker.make(options);
                return binder -> binder.bind(slot.type()).toProvider(provider).in(Singleton.class);
            }

            @Override
            public void validate(Config options, OptionProblems problems) {
                if (check != null) {
                    check.check(options, problems);
                }
            }
        };
    }

    public record TestAlgorithm(String kind, int size, int promptsPerStep) implements Algorithm {
        @Override
        public StepResult step(StepContext context) {
            throw new UnsupportedOperationException("test algorithm does not train");
        }
    }

    public record CountDataset(int count, int seed, String style) implements Dataset {
        @Override
        public String describe() {
            return "count(" + count + ")";
        }

        @Override
        public Stream<Example> examples(Consumer<DataIssue> skipped) {
            return IntStream.range(0, count).mapToObj(i -> new Example("e" + i, "q" + i, Integer.toString(i), null,
                    1 + i % 5, null, "test:" + i, null));
        }
    }

    public record MaxFilter(int max) implements DatasetFilter {
        @Override
        public String describe() {
            return "difficulty<=" + max;
        }

        @Override
        public List<Example> apply(List<Example> examples) {
            return examples.stream().filter(e -> e.difficulty() <= max).toList();
        }
    }

    public static final class InOrderSampler implements PromptSampler {
        private List<Example> pool = List.of();
        private int next;

        @Override
        public void initialize(List<Example> pool, long seed) {
            this.pool = new ArrayList<>(pool);
            next = 0;
        }

        @Override
        public List<Example> next(int count) {
            List<Example> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(pool.get(next++ % pool.size()));
            }
            return out;
        }

        @Override
        public byte[] saveState() {
            return ByteBuffer.allocate(4).putInt(next).array();
        }

        @Override
        public void restoreState(byte[] state) {
            next = ByteBuffer.wrap(state).getInt();
        }
    }

    public record ExactReward(boolean trim) implements RewardFunction {
        @Override
        public String name() {
            return "exact";
        }

        @Override
        public RewardResult score(Example example, String completion) {
            String c = trim ? completion.trim() : completion;
            return RewardResult.of(c.equals(example.goldAnswer()) ? 1 : 0, c, "compared");
        }
    }

    public record MarkerReward(String marker) implements RewardFunction {
        @Override
        public String name() {
            return "format";
        }

        @Override
        public RewardResult score(Example example, String completion) {
            return RewardResult.of(completion.contains(marker) ? 1 : 0, null, "marker " + marker);
        }
    }

    /** A backend that records whether it was closed. */
    public static final class TestBackend implements Backend {
        public final String name;
        public final String device;
        public volatile boolean closed;

        public TestBackend(String name, String device) {
            this.name = name;
            this.device = device;
        }

        @Override
        public BackendInfo info() {
            return new BackendInfo(name, "1", device, "float32", 1);
        }

        @Override
        public void seed(long seed) {
        }


        @Override
        public void close() {
            closed = true;
        }
    }

    /** A policy that injects the run's Backend; its toString names the backend it got. */
    static final class PolicyFactory implements ComponentFactory<PolicyModel> {
        @Override
        public Slot<PolicyModel> slot() {
            return Slot.POLICY;
        }

        @Override
        public String name() {
            return "tiny-test";
        }

        @Override
        public String description() {
            return "a policy that only reports its backend";
        }

        /**
         * A plan in round numbers, so tests can check the table, the limit and the advice: weights 1 MiB per layer,
         * full fine-tuning 3 MiB more per layer (gradients and moments), KV cache 64 KiB per generated row and
         * layer, activations 128 KiB per training row and layer.
         */
        @Override
        public Optional<MemoryPlanner> memoryPlanner() {
            return Optional.of((options, w) -> {
                long layers = options.getInt("layers");
                boolean lora = options.getBoolean("lora.enabled");
                return new MemoryPlan("test shape, " + layers + " layers", List.of(
                        new MemoryItem("weights", layers << 20, MemoryPhase.RESIDENT, "1 MiB per layer"),
                        new MemoryItem("gradients and moments", lora ? 0 : 3 * layers << 20, MemoryPhase.RESIDENT,
                                lora ? "LoRA" : "full fine-tuning"),
                        new MemoryItem("KV cache", w.generationRows() * layers * (64L << 10), MemoryPhase.GENERATION,
                                w.generationRows() + " rows"),
                        new MemoryItem("activations", w.trainingRows() * layers * (128L << 10), MemoryPhase.TRAINING,
                                w.trainingRows() + " rows")));
            });
        }

        @Override
        public Module module(Config options) {
            int layers = options.getInt("layers");
            if (options.getInt("total-steps") < 0) {
                throw new IllegalArgumentException("total-steps must be >= 0 (0: no schedule)");
            }
            boolean lora = options.getBoolean("lora.enabled");
            int rank = options.getInt("lora.rank");
            return new AbstractModule() {
                @Provides
                @Singleton
                PolicyModel policy(Backend backend) {
                    String text = "policy(layers=" + layers + ", lora=" + lora + "/" + rank + ") on "
                            + backend.info().engine();
                    return (PolicyModel) java.lang.reflect.Proxy.newProxyInstance(PolicyModel.class.getClassLoader(),
                            new Class<?>[] {PolicyModel.class}, (proxy, method, args) -> switch (method.getName()) {
                                case "toString" -> text;
                                case "hashCode" -> System.identityHashCode(proxy);
                                case "equals" -> proxy == args[0];
                                case "close" -> null;
                                default -> throw new UnsupportedOperationException(method.getName());
                            });
                }
            };
        }
    }

    record BackendFactory(String name, int rank, boolean available) implements ComponentFactory<Backend> {
        @Override
        public Slot<Backend> slot() {
            return Slot.BACKEND;
        }

        @Override
        public String description() {
            return "test backend " + name;
        }

        @Override
        public Module module(Config options) {
            return binder -> binder.bind(Backend.class).toInstance(new TestBackend(name, options.getString("device")));
        }

        @Override
        public void validate(Config options, OptionProblems problems) {
            problems.requireOneOf(options, "device", List.of("cpu", "cuda:0"));
        }

        @Override
        public boolean isAvailable() {
            return available;
        }
    }
}
