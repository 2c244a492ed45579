package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.RunConfigResolver;
import picocli.CommandLine.Option;

/**
 * The policy of the model commands ({@code generate}, {@code bench}): a Hugging Face checkpoint directory or a
 * tiny preset, on a backend. Built through the same validation and wiring as a run file's sections.
 */
final class PolicyArgs {

    @Option(names = "--model", paramLabel = "<dir>", description = "A Hugging Face checkpoint directory.")
    String model;

    @Option(names = "--preset", paramLabel = "<name>", description = "A tiny-policy preset instead (tiny, bench-small).")
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

    /** Wires a backend and the policy; the caller closes the assembly. */
    RunAssembly open(PrefoptCommand root, String command, Map<String, Object> policyOptions) {
        if ((model == null) == (preset == null)) {
            throw new UsageException(command + ": give exactly one of --model <dir> or --preset <name>");
        }
        if (threads < 0) {
            throw new UsageException("--threads must be >= 0 (got " + threads + "; 0: the engine's default)");
        }
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
        Map<String, Object> backend = Map.of("type", "djl-pytorch", "device", device, "threads", threads);
        Map<String, Object> sections = new LinkedHashMap<>(Map.of("backend", backend, "policy", policy));
        if (engine != null) {
            sections.put("engine", engineSection(engine, threads));
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
