package org.prefopt.launcher.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code prefopt export --format} writes. A new format is one more constant here and its case in
 * {@link ExportCommand#write}.
 */
enum ExportFormat {
    /** A PEFT LoRA adapter directory: adapter_config.json and adapter_model.safetensors, PEFT's key names. */
    PEFT("peft"),
    /** A Hugging Face checkpoint: config.json, model.safetensors, tokenizer files, chat template, generation config. */
    HF("hf"),
    /**
     * An ONNX decoder with a KV cache in Optimum's text-generation-with-past layout (model.onnx, config.json, tokenizer
     * files), adapters merged: for ONNX Runtime (the onnxruntime engine), transformers.js, Optimum.
     */
    ONNX("onnx");

    private final String option;

    ExportFormat(String option) {
        this.option = option;
    }

    String option() {
        return option;
    }

    static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.option.equals(text.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new UsageException("--format '" + text + "': unknown format; choose one of "
                + String.join(", ", Arrays.stream(values()).map(ExportFormat::option).toList()));
    }
}
