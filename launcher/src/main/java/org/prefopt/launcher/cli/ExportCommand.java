package org.prefopt.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.prefopt.api.model.OnnxExportOptions;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.launcher.rundir.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt export}: a trained model as files other tools load (PEFT, transformers, vLLM, lm-eval). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model for other tools: --format peft writes the LoRA adapter (adapter_config.json,"
                + " adapter_model.safetensors with PEFT's key names); --format hf writes a Hugging Face checkpoint"
                + " (config.json, model.safetensors in the checkpoint's dtype, tokenizer files, chat template,"
                + " generation config), with --merge the LoRA adapter merged into the base; --format onnx writes an"
                + " ONNX decoder with a KV cache in Optimum's layout (model.onnx, adapters merged).",
                "--model is a run directory (its newest checkpoint, or --checkpoint), one of its checkpoints/step-<N>"
                        + " directories, a PEFT adapter directory or a Hugging Face checkpoint directory."})
final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyArgs policyArgs;

    @Mixin
    PolicyArgs.Source source = new PolicyArgs.Source();

    @Option(names = "--format", required = true, paramLabel = "<peft|hf|onnx>", description = "What to write.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "<dir>",
            description = "The directory to create (it must not exist, or be empty).")
    Path out;

    @Option(names = "--merge", description = "With --format hf: merge the LoRA adapter into the base weights.")
    boolean merge;

    @Option(names = "--lora-inputs", description = "With --format onnx: keep the LoRA adapter out of the weights; the"
            + " graph takes each adapted projection's A and B matrices as inputs under PEFT's keys (the export an"
            + " onnxruntime engine with engine.path feeds a training run's adapters to), and the directory also holds"
            + " the adapter (adapter_model.safetensors).")
    boolean loraInputs;

    @Option(names = "--dtype", paramLabel = "<float32|float16>", description = "With --format onnx: the type of the"
            + " weights, KV caches and logits (default float32; float16 as Optimum's fp16 exports, computed in float32"
            + " inside the graph).")
    String dtype;

    @Override
    public Integer call() throws Exception {
        ExportFormat f = ExportFormat.parse(format);
        if (dtype != null && (f != ExportFormat.ONNX || !List.of("float32", "float16").contains(dtype))) {
            throw new UsageException("--dtype " + dtype + ": --format onnx takes --dtype float32 or float16 (--format "
                    + f.option() + " writes the checkpoint's own dtype)");
        }
        if (loraInputs && f != ExportFormat.ONNX) {
            throw new UsageException("--lora-inputs makes the LoRA adapter inputs of an ONNX graph: use it with"
                    + " --format onnx");
        }
        if (merge && f != ExportFormat.HF) {
            throw new UsageException("--merge writes a whole checkpoint with the adapter merged in: use --format hf"
                    + " --merge (--format " + f.option() + " writes the adapter alone)");
        }
        if (Files.exists(out) && !emptyDirectory(out)) {
            throw new UsageException("--out " + out + " already exists; export writes a new directory and never"
                    + " overwrites one: choose another --out or remove it");
        }
        try (PolicyArgs.Opened opened = policyArgs.openAny(parent, "export", source)) {
            write(f, opened.policy(), describe(opened.source()), opened.source() != null && opened.source().isRun());
        }
        shareable(out);
        spec.commandLine().getOut().println("exported " + f.option() + " to " + out.toAbsolutePath().normalize());
        return ExitCodes.OK;
    }

    /** One case per format; each refuses what it cannot write with the reason and the format that can. */
    private void write(ExportFormat f, PolicyModel policy, String what, boolean run) {
        switch (f) {
            case PEFT -> {
                if (!policy.trainsAdapters()) {
                    throw new UsageException("--format peft: " + what + " has no LoRA adapter ("
                            + (run ? "the run trained every weight: full fine-tuning" : "a whole model")
                            + "); export it with --format hf");
                }
                export(policy, false, f);
            }
            case ONNX -> {
                try {
                    if (loraInputs && !policy.trainsAdapters()) {
                        throw new UsageException("--lora-inputs: " + what + " has no LoRA adapter; export it"
                                + " without --lora-inputs");
                    }
                    policy.exportOnnx(out, new OnnxExportOptions(loraInputs, "float16".equals(dtype)));
                } catch (UnsupportedOperationException | IllegalStateException e) {
                    throw new UsageException("--format onnx: " + e.getMessage());
                }
            }
            case HF -> {
                if (policy.trainsAdapters() && !merge) {
                    throw new UsageException("--format hf: " + what + " is a LoRA adapter on a base model; add --merge"
                            + " to write the base with the adapter merged in, or use --format peft for the adapter"
                            + " alone");
                }
                export(policy, true, f);
            }
        }
    }

    private void export(PolicyModel policy, boolean mergeAdapters, ExportFormat f) {
        try {
            policy.export(out, mergeAdapters);
        } catch (IllegalStateException e) {
            // the policy cannot be written this way (PolicyModel.export's contract); the message says what can
            throw new UsageException("--format " + f.option() + ": " + e.getMessage());
        }
    }

    private String describe(ModelSource s) {
        if (s == null) {
            return "preset " + policyArgs.preset;
        }
        if (s.isRun()) {
            return "run " + s.runDirectory() + " (" + s.checkpoint().directory().getFileName() + ")";
        }
        return s.directory().toString();
    }

    /**
     * The export is written through a temporary directory, which is private to its owner (0700, files 0600); an
     * export is meant for other tools and users (a vLLM container, a shared model store), so it gets the permissions
     * of a directory made with mkdir: readable by all (0755, files 0644).
     */
    private static void shareable(Path dir) throws IOException {
        if (!Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : entries.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static boolean emptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
