package org.prefopt.backends;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.backends.djl.DjlPytorchBackendFactory;
import org.prefopt.backends.djl.memory.PolicyMemory;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.djl.policy.PolicyOptions;
import org.prefopt.backends.djl.policy.Presets;
import org.prefopt.backends.onnx.engine.OnnxRuntimeEngine;
import org.prefopt.backends.onnx.engine.KvCacheMode;
import org.prefopt.backends.onnx.engine.SyncMode;
import org.prefopt.backends.onnx.runtime.ExecutionDevice;
import org.prefopt.backends.safetensors.TensorDType;

/** The compute plugin: the DJL PyTorch backend, the policies that run on it and the rollout engines. */
public final class BackendsPlugin implements Plugin {

    /** {@code backend { type = djl-pytorch, device = cpu|cuda:N|auto, dtype = float32|float16, threads = 0 }}. */
    public static final ComponentFactory<Backend> DJL_PYTORCH = new DjlPytorchBackendFactory();

    /** {@code policy { type = hf, path = <checkpoint dir>, lora { ... }, learning-rate = ... }}. */
    public static final ComponentFactory<PolicyModel> HF = ComponentFactory.withMemoryPlanner(
            ComponentFactory.withModule(Slot.POLICY, "hf",
                    "a Hugging Face Llama/Qwen2 checkpoint directory (safetensors), full fine-tuning or LoRA",
                    options -> policyModule(backend -> Policies.hf(backend, options)),
                    PolicyOptions::validateHf),
            PolicyMemory.HF);

    /** {@code policy { type = tiny, preset = tiny|bench-small, seed = 0, ... }}: a randomly initialised model. */
    public static final ComponentFactory<PolicyModel> TINY = ComponentFactory.withMemoryPlanner(
            ComponentFactory.withModule(Slot.POLICY, "tiny",
                    "a small randomly initialised Llama-style model with a character-level tokenizer (presets "
                            + Presets.NAMES + ")",
                    options -> policyModule(backend -> Policies.tiny(backend, options)),
                    PolicyOptions::validateTiny),
            PolicyMemory.TINY);

    /** {@code engine { type = policy }}: the policy generates its own rollouts (what a run does without the section). */
    public static final ComponentFactory<RolloutEngine> POLICY_ENGINE = ComponentFactory.of(Slot.ENGINE, "policy",
            "the policy generates its own rollouts and evaluation samples (the default)", options -> RolloutEngine.POLICY);

    /**
     * {@code engine { type = onnxruntime, threads = 0, path = "", sync = auto, device = cpu, dtype = float32,
     * kv-cache = auto }}.
     */
    public static final ComponentFactory<RolloutEngine> ONNXRUNTIME = ComponentFactory.of(Slot.ENGINE, "onnxruntime",
            "ONNX Runtime (CPU, or CUDA with the -Pcuda build) generates with the policy's current weights, or with an"
                    + " exported ONNX model (path)",
            options -> new OnnxRuntimeEngine(options.getInt("threads"),
                    options.getString("path").isEmpty() ? null : Path.of(options.getString("path")),
                    SyncMode.parse(options.getString("sync")), ExecutionDevice.parse(options.getString("device")),
                    options.getString("dtype").equals("float16") ? TensorDType.F16 : TensorDType.F32,
                    KvCacheMode.parse(options.getString("kv-cache"))),
            (options, problems) -> {
                problems.requireRange(options, "threads", 0, 4096);
                problems.requireOneOf(options, "sync", SyncMode.options());
                problems.requireOneOf(options, "dtype", List.of("float32", "float16"));
                problems.requireOneOf(options, "kv-cache", KvCacheMode.options());
                if (options.hasPath("kv-cache") && options.getString("kv-cache").equals("in-place")) {
                    String why = KvCacheMode.whyNotInPlace(
                            options.hasPath("path") && !options.getString("path").isEmpty(),
                            options.hasPath("dtype") && options.getString("dtype").equals("float16"),
                            options.hasPath("device") && !options.getString("device").equals("cpu"));
                    if (why != null) {
                        problems.add(options, "kv-cache", why);
                    }
                }
                if (options.hasPath("dtype") && options.getString("dtype").equals("float16")
                        && options.hasPath("path") && !options.getString("path").isEmpty()) {
                    problems.add(options, "dtype", "applies to the engine's own export of the policy; the model at"
                            + " path has its own types: remove dtype, or remove path");
                }
                if (options.hasPath("device")) {
                    try {
                        ExecutionDevice.parse(options.getString("device"));
                    } catch (IllegalArgumentException e) {
                        problems.add(options, "device", e.getMessage());
                    }
                }
                if (options.hasPath("path") && !options.getString("path").isEmpty()
                        && !Files.exists(Path.of(options.getString("path")))) {
                    problems.add(options, "path", "no ONNX model at " + options.getString("path")
                            + " (a directory with model.onnx, or the .onnx file)");
                }
            });

    @Override
    public String name() {
        return "backends";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(DJL_PYTORCH, HF, TINY, POLICY_ENGINE, ONNXRUNTIME);
    }

    /** Binds the policy, built once from the run's backend when first needed. */
    private static Module policyModule(Function<Backend, PolicyModel> create) {
        return new AbstractModule() {
            @Provides
            @Singleton
            PolicyModel policy(Backend backend) {
                return create.apply(backend);
            }
        };
    }
}
