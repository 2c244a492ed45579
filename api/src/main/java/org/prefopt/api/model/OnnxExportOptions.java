package org.prefopt.api.model;

/**
 * How {@link PolicyModel#exportOnnx(java.nio.file.Path, OnnxExportOptions)} writes the graph.
 *
 * @param loraInputs the LoRA adapters' A and B matrices as graph inputs under PEFT's keys, next to the unmerged base
 *                   weights (the training export an engine feeds new adapters to), instead of merged into the weights
 */
public record OnnxExportOptions(boolean loraInputs) {

    /** Adapters merged: a self-contained graph. */
    public static final OnnxExportOptions DEFAULT = new OnnxExportOptions(false);
}
