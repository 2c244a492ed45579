package org.prefopt.backends.onnx.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How the ONNX Runtime engine follows a training policy ({@code engine.sync}); see docs/engines.md. */
public enum SyncMode {
    /** {@link #ADAPTERS} for a policy that trains LoRA adapters, {@link #SESSION} otherwise (the default). */
    AUTO,
    /** A new session over an in-memory export (adapters merged) after every update. */
    SESSION,
    /** One session whose weights are all graph inputs, fed anew after every update. */
    INPUTS,
    /**
     * One session over the base weights (initializers ONNX Runtime pre-packs) with the LoRA A and B matrices as graph
     * inputs under PEFT's keys, fed anew after every update; a new session only when the base changes (a reference
     * reset merging the adapters, a loaded state).
     */
    ADAPTERS;

    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> options() {
        return Arrays.stream(values()).map(SyncMode::option).toList();
    }

    public static SyncMode parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
