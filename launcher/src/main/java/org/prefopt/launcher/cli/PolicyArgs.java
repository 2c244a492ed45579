package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.rundir.ModelSource;
import org.prefopt.launcher.rundir.RunDirectory;
import picocli.CommandLine.Option;

/**
 * The policy of the model commands ({@code generate}, {@code export}, {@code bench}): what {@code --model} names
 * (see {@link ModelSource}) or a tiny preset, on a backend. Built through the same validation and wiring as a run
 * file's sections.
 */
final class PolicyArgs {

    @Option(names = "--model", paramLabel = "<dir>", description = "A Hugging Face checkpoint directory; for generate"
            + " and export also a run directory (or its checkpoints/step-<N>) or a PEFT adapter directory.")
    String model;

    @Option(names = "--preset", paramLabel = "<name>", description = "A tiny-policy preset instead (tiny, small, bench-small).")
    String preset;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "<cpu|cuda:N|auto>",
            description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "<N>",
            description = "CPU threads of the engine; 0: its default.")
    int threads;

    @Option(names = "--engine", paramLabel = "<policy|onnxruntime>",
            description = "What generates: the policy itself (default) or ONNX Runtime (with --threads threads).")
    String engine;

    /** More options of the {@code engine} section (a command's own engine options, e.g. bench's --sync). */
    Map<String, Object> engineOptions = Map.of();

    /** {@code --checkpoint} and {@code --base}: which checkpoint of a run, which base under a PEFT adapter. */
    static final class Source {

        @Option(names = "--checkpoint", paramLabel = "<step-N>",
                description = "With a run directory: the checkpoint to load (default: its newest complete one).")
        String checkpoint;

        @Option(names = "--base", paramLabel = "<dir>",
                description = "With a PEFT adapter directory: its base model (default: its base_model_name_or_path).")
        Path base;
    }

    /** The backend's dtype (backend.dtype); only {@code prefopt bench --dtype} sets it. */
    String backendDtype = "float32";

    /** A wired policy and the assembly that owns it; {@code source} is null for a preset. */
    record Opened(RunAssembly assembly, PolicyModel policy, ModelSource source) implements AutoCloseable {
        @Override
        public void close() {
            assembly.close();
        }
    }

    /** Wires a backend and the policy of a Hugging Face directory or a preset; the caller closes the assembly. */
    RunAssembly open(PrefoptCommand root, String command, Map<String, Object> policyOptions) {
        requireOneModel(command);
        Map<String, Object> policy = new LinkedHashMap<>(policyOptions);
        if (model != null) {
            policy.put("type", "hf");
            policy.put("path", model);
            // the model as it is: these commands use the base weights, no adapter, unless the caller asks for one
            policy.putIfAbsent("lora", Map.of("enabled", false));
        } else {
            policy.put("type", "tiny");
            policy.put("preset", preset);
        }
        return assemble(root, command, policy);
    }

    /**
     * Wires the policy of whatever {@code --model} names, as {@link ModelSource} resolves it: a run's checkpoint
     * loaded into the run's own policy section, a PEFT adapter on its base, a checkpoint as it is; or the preset.
     */
    Opened openAny(PrefoptCommand root, String command, Source source) {
        requireOneModel(command);
        if (preset != null) {
            if (source.checkpoint != null || source.base != null) {
                throw new UsageException("--checkpoint and --base go with --model, not --preset");
            }
            RunAssembly assembly = open(root, command, Map.of());
            return new Opened(assembly, assembly.component(Slot.POLICY, "policy"), null);
        }
        ModelSource resolved;
        try {
            resolved = ModelSource.of(Path.of(model), source.checkpoint, source.base);
        } catch (ModelSource.Unusable e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, Object> policy = resolved.isRun() ? runPolicy(resolved.runDirectory()) : resolved.policySection();
        RunAssembly assembly = assemble(root, command, policy);
        try {
            PolicyModel p = assembly.component(Slot.POLICY, "policy");
            if (resolved.isRun()) {
                p.loadTrainingState(resolved.checkpoint().policyDirectory());
            }
            return new Opened(assembly, p, resolved);
        } catch (RuntimeException e) {
            assembly.close();
            throw e;
        }
    }

    /** The run's own policy section (its weights then come from the checkpoint's training state). */
    private static Map<String, Object> runPolicy(Path runDir) {
        Config config = RunConfigLoader.load(runDir.resolve(RunDirectory.CONFIG_FILE), List.of());
        if (!config.hasPath("policy")) {
            throw new UsageException(runDir.resolve(RunDirectory.CONFIG_FILE) + " has no policy section");
        }
        return config.getConfig("policy").root().unwrapped();
    }

    private void requireOneModel(String command) {
        if ((model == null) == (preset == null)) {
            throw new UsageException(command + ": give exactly one of --model <dir> or --preset <name>");
        }
        if (threads < 0) {
            throw new UsageException("--threads must be >= 0 (got " + threads + "; 0: the engine's default)");
        }
    }

    private RunAssembly assemble(PrefoptCommand root, String command, Map<String, Object> policy) {
        Map<String, Object> backend = Map.of("type", "djl-pytorch", "device", device, "threads", threads, "dtype",
                backendDtype);
        Map<String, Object> sections = new LinkedHashMap<>(Map.of("backend", backend, "policy", policy));
        if (engine != null) {
            Map<String, Object> section = new LinkedHashMap<>(engineSection(engine, threads));
            section.putAll(engineOptions);
            sections.put("engine", section);
        }
        Config raw = ConfigFactory.parseMap(sections,
                "prefopt " + command + " command line");
        return Assembler.assemble(new RunConfigResolver(root.registry()).resolve(raw, command), Stage.PRODUCTION,
                "the model");
    }

    /** The {@code engine} section of {@code --engine}: ONNX Runtime gets the command's thread count. */
    static Map<String, Object> engineSection(String engine, int threads) {
        return engine.equals("onnxruntime") ? Map.of("type", engine, "threads", threads) : Map.of("type", engine);
    }
}
