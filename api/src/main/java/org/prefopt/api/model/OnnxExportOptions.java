package org.prefopt.api.model;

/**
 * How {@link PolicyModel#exportOnnx(java.nio.file.Path, OnnxExportOptions)} writes the graph.
 *
 * @param loraInputs the LoRA adapters' A and B matrices as graph inputs under PEFT's keys, next to the unmerged base
 *                   weights (the training export an engine feeds new adapters to), instead of merged into the weights
 * @param float16    weights, caches and logits in float16 (Optimum's fp16 layout) instead of float32
 */
public record OnnxExportOptions(boolean loraInputs, boolean float16) {

    /** Float32, adapters merged: a self-contained graph. */
    public static final OnnxExportOptions DEFAULT = new OnnxExportOptions(false, false);
}
