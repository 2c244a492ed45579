package org.prefopt.launcher.cli;

import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.rundir.ModelSource;
import org.prefopt.launcher.rundir.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code prefopt export --format onnx}: a run's checkpoint, a Hugging Face checkpoint or a preset as an ONNX decoder
 * (Optimum's text-generation-with-past layout, adapters merged). The export itself is the policy's
 * ({@link PolicyModel#exportOnnx}); this command only finds the model.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model for other tools: --format onnx writes model.onnx (ONNX Runtime, transformers.js,"
                + " Optimum), config.json and the tokenizer files.")
final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyArgs policyArgs;

    @Option(names = "--checkpoint", paramLabel = "<step-N>",
            description = "With a run directory as --model: the checkpoint to export (default: the newest).")
    String checkpoint;

    @Option(names = "--format", required = true, paramLabel = "<onnx>", description = "onnx.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "<dir>", description = "The directory to write.")
    Path out;

    @Override
    public Integer call() {
        if (!format.equals("onnx")) {
            throw new UsageException("--format " + format + ": this command exports onnx");
        }
        ModelSource run = null;
        if (policyArgs.model != null && Files.isDirectory(Path.of(policyArgs.model))
                && !Files.isRegularFile(Path.of(policyArgs.model).resolve("config.json"))) {
            try {
                run = ModelSource.of(Path.of(policyArgs.model), checkpoint);
            } catch (ModelSource.Unusable e) {
                throw new UsageException(e.getMessage());
            }
        }
        try (RunAssembly assembly = run != null && run.isRun() ? runPolicy(run)
                : policyArgs.open(parent, "export", Map.of())) {
            PolicyModel policy = assembly.component(Slot.POLICY, "policy");
            if (run != null && run.isRun()) {
                policy.loadTrainingState(run.checkpoint().policyDirectory());
            }
            policy.exportOnnx(out);
        }
        spec.commandLine().getOut().println("wrote " + out.resolve("model.onnx"));
        return ExitCodes.OK;
    }

    /** The run's policy and backend sections (the rest of the run is not needed to rebuild its model). */
    private RunAssembly runPolicy(ModelSource run) {
        Config config = RunConfigLoader.load(run.runDirectory().resolve(RunDirectory.CONFIG_FILE), List.of());
        Config kept = ConfigFactory.empty("the run's policy and backend");
        for (String section : List.of("policy", "backend")) {
            if (config.hasPath(section)) {
                kept = kept.withValue(section, config.getValue(section));
            }
        }
        return Assembler.assemble(new RunConfigResolver(parent.registry()).resolve(kept, "export"), Stage.PRODUCTION,
                "the model");
    }
}
