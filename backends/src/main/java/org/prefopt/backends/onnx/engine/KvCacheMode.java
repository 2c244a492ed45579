package org.prefopt.backends.onnx.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prefopt.backends.onnx.export.CacheLayout;

/** How the ONNX Runtime engine's own export keeps the KV cache ({@code engine.kv-cache}); see docs/engines.md. */
public enum KvCacheMode {
    /**
     * {@link #IN_PLACE} where it applies (the engine's own float32 export on the CPU, heads a multiple of 8 wide),
     * {@link #CONCAT} otherwise.
     */
    AUTO,
    /** {@link CacheLayout#IN_PLACE}: fixed buffers written in place by GroupQueryAttention. */
    IN_PLACE,
    /** {@link CacheLayout#OPTIMUM}: the cache returned one position longer by every step. */
    CONCAT;

    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static List<String> options() {
        return Arrays.stream(values()).map(KvCacheMode::option).toList();
    }

    public static KvCacheMode parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * Why an in-place cache cannot serve this engine, or null when it can: ONNX Runtime's GroupQueryAttention runs
     * float32 on the CPU (its CUDA kernel takes float16 only, and that combination is untested here), and a model at
     * {@code path} comes with its own layout.
     */
    public static String whyNotInPlace(boolean path, boolean float16, boolean gpu) {
        if (path) {
            return "applies to the engine's own export of the policy; the model at path has its own cache layout:"
                    + " remove kv-cache, or remove path";
        }
        if (float16) {
            return "in-place is built for float32 (dtype = float16 keeps Optimum's layout): use kv-cache = concat or"
                    + " auto, or dtype = float32";
        }
        if (gpu) {
            return "in-place runs on the CPU (ONNX Runtime's CUDA GroupQueryAttention takes float16 only): use"
                    + " kv-cache = concat or auto, or device = cpu";
        }
        return null;
    }

    /** The layout of the engine's own export of a model with heads of {@code headDim}. */
    public CacheLayout layout(int headDim, boolean float16, boolean gpu) {
        String why = whyNotInPlace(false, float16, gpu);
        if (why == null && headDim % 8 != 0) {
            why = "ONNX Runtime's GroupQueryAttention needs head_dim to be a multiple of 8, and the policy's is "
                    + headDim + ": use kv-cache = concat or auto";
        }
        return switch (this) {
            case AUTO -> why == null ? CacheLayout.IN_PLACE : CacheLayout.OPTIMUM;
            case CONCAT -> CacheLayout.OPTIMUM;
            case IN_PLACE -> {
                if (why != null) {
                    throw new IllegalArgumentException("engine.kv-cache = in-place: " + why);
                }
                yield CacheLayout.IN_PLACE;
            }
        };
    }
}
