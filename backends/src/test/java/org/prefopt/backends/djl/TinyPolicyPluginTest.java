package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.BackendInfo;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.backends.BackendsPlugin;
import org.prefopt.backends.djl.policy.Policies;

class TinyPolicyPluginTest {

    static Config defaults(Slot<?> slot, String name) {
        return ConfigFactory.parseResources(TinyPolicyPluginTest.class.getClassLoader(), "reference.conf")
                .getConfig(slot.defaultsPath(name));
    }

    @Test
    void pluginIsDiscoverableAndDefaultsCoverOptions() {
        List<String> names = new ArrayList<>();
        for (Plugin p : ServiceLoader.load(Plugin.class)) {
            p.factories().forEach(f -> names.add(f.slot().key() + "/" + f.name()));
            for (ComponentFactory<?> f : p.factories()) {
                Config d = defaults(f.slot(), f.name());
                List<String> problems = new ArrayList<>();
                f.validate(d.hasPath("path") ? d.withoutPath("path") : d, problems(problems));
                assertEquals(List.of(), problems, f.name());
            }
        }
        assertTrue(names.containsAll(List.of("backend/djl-pytorch", "policy/hf", "policy/tiny")), names.toString());
        var tinyKeys = defaults(Slot.POLICY, "tiny").entrySet().stream().map(e -> e.getKey()).collect(Collectors.toSet());
        var hfKeys = defaults(Slot.POLICY, "hf").root().keySet();
        assertTrue(hfKeys.contains("path"));
        tinyKeys.remove("preset");
        for (String k : tinyKeys) {
            assertTrue(defaults(Slot.POLICY, "hf").hasPathOrNull(k), "hf lacks " + k);
        }
    }

    @Test
    void validationReportsBadOptions() {
        Config bad = ConfigFactory.parseString("preset = huge, lr-schedule = cosine, total-steps = 0, "
                + "betas = [0.9], lora { enabled = true, target-modules = [qq_proj] }")
                .withFallback(defaults(Slot.POLICY, "tiny"));
        List<String> problems = new ArrayList<>();
        BackendsPlugin.TINY.validate(bad, problems(problems));
        String all = String.join("\n", problems);
        assertTrue(all.contains("preset") && all.contains("total-steps") && all.contains("betas")
                && all.contains("qq_proj"), all);
        List<String> hf = new ArrayList<>();
        BackendsPlugin.HF.validate(ConfigFactory.parseString("path = /nonexistent/dir")
                .withFallback(defaults(Slot.POLICY, "hf")), problems(hf));
        assertTrue(hf.toString().contains("not a directory"), hf.toString());
    }

    @Test
    void lossScaleOptionsAreValidated() {
        Config bad = ConfigFactory.parseString("loss-scale { initial = 0, growth-factor = 1.0, backoff-factor = 1.5,"
                + " growth-interval = 0 }").withFallback(defaults(Slot.POLICY, "tiny"));
        List<String> problems = new ArrayList<>();
        BackendsPlugin.TINY.validate(bad, problems(problems));
        String all = String.join("\n", problems);
        assertTrue(all.contains("loss-scale.initial: must be > 0 and finite in float32"), all);
        assertTrue(all.contains("loss-scale.growth-factor: must be > 1"), all);
        assertTrue(all.contains("loss-scale.backoff-factor: must be in (0, 1)"), all);
        assertTrue(all.contains("loss-scale.growth-interval"), all);
    }

    static OptionProblems problems(List<String> sink) {
        return (options, key, message) -> sink.add(key + ": " + message);
    }

    /** The embedded default: a GRPO-sized step (8 prompts × 8 completions ≤ 64 tokens) through Guice. */
    @Test
    void tinyPresetRunsAGrpoSizedStep() {
        Config backendOptions = defaults(Slot.BACKEND, "djl-pytorch");
        Config policyOptions = ConfigFactory.parseString("seed = 3").withFallback(defaults(Slot.POLICY, "tiny"));
        Injector injector = Guice.createInjector(BackendsPlugin.DJL_PYTORCH.module(backendOptions),
                BackendsPlugin.TINY.module(policyOptions));
        try (PolicyModel policy = injector.getInstance(PolicyModel.class)) {
            assertTrue(injector.getInstance(Backend.class) instanceof DjlBackend);
            assertTrue(policy.tokenizer().hasChatTemplate());
            List<GenerationRequest> reqs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reqs.add(new GenerationRequest("p" + i, policy.tokenizer().encode("What is " + i + " + 7?"), 8));
            }
            // first calls pay for JIT and libtorch kernel initialisation; time the steady state
            policy.generate(reqs.subList(0, 2), new SamplingParams(8, 1.0, 1.0, 0, false, List.of(), 0));
            long t0 = System.nanoTime();
            List<CompletionGroup> groups = policy.generate(reqs,
                    new SamplingParams(64, 1.0, 1.0, 0, false, List.of(), 1));
            long t1 = System.nanoTime();
            List<TokenSequence> batch = new ArrayList<>();
            for (CompletionGroup g : groups) {
                g.completions().forEach(c -> batch.add(new TokenSequence(g.promptTokens(), c.tokens())));
            }
            var result = policy.accumulateGradients(batch, scores -> {
                List<float[]> grads = new ArrayList<>();
                scores.forEach(s -> grads.add(new float[s.logprobs().length]));
                for (float[] g : grads) {
                    java.util.Arrays.fill(g, -0.01f);
                }
                return new LossGradients(0.0, grads, null);
            }, false);
            var step = policy.optimizerStep();
            long t2 = System.nanoTime();
            assertEquals(64, result.scores().size());
            assertTrue(step.applied());
            assertTrue(policy.info().parameters() > 10_000, policy.info().toString());
            System.out.printf("tiny GRPO-sized step: generate %.2f s, train %.2f s, %d completion tokens (%s)%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, batch.stream().mapToInt(b -> b.completionTokens().length).sum(),
                    policy.info());
        }
    }

    /** A policy asks the backend for DJL compute; a backend that cannot provide it gets a message naming the fix. */
    @Test
    void aPolicyGetsItsComputeContextFromTheBackend() {
        Backend onnx = new Backend() {
            @Override
            public BackendInfo info() {
                return new BackendInfo("onnxruntime", "1.20", "cpu", "float32", 1);
            }

            @Override
            public void seed(long seed) {
            }

            @Override
            public void close() {
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Policies.compute(onnx, "tiny"));
        assertEquals("policy type 'tiny' trains on the djl-pytorch backend; the run selected backend engine "
                + "'onnxruntime'. Set backend.type = djl-pytorch", e.getMessage());
        // a backend of another class (e.g. a third party's) can offer DJL compute through unwrap
        Backend offering = new Backend() {
            @Override
            public BackendInfo info() {
                return Fixtures.backend().info();
            }

            @Override
            public void seed(long seed) {
            }

            @Override
            public <T> Optional<T> unwrap(Class<T> type) {
                return type == DjlCompute.class ? Optional.of(type.cast(Fixtures.backend())) : Optional.empty();
            }

            @Override
            public void close() {
            }
        };
        assertSame(Fixtures.backend(), Policies.compute(offering, "hf"));
        assertSame(Fixtures.backend(), Policies.compute(Fixtures.backend(), "hf"));
    }
}
