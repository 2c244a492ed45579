package org.prefopt.backends.onnx.export;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.prefopt.backends.djl.lora.LoraAdapters;

/**
 * LoRA adapters carried as graph inputs: each adapted projection computes {@code x W^T (+ b) + scale · (x A^T) B^T}
 * with its base weight {@code W} an initializer and {@code A} ({@code [rank, in]}) and {@code B} ({@code [out, rank]})
 * graph inputs under PEFT's keys ({@link LoraAdapters#peftKey}), so an engine follows the training adapters by
 * feeding them, without a new export or session. Dropout is off (generation).
 *
 * @param scale   {@code alpha / rank}, as the policy applies it
 * @param modules the adapted projections, e.g. {@code model.layers.0.self_attn.q_proj}
 */
public record LoraInputs(double scale, int rank, Set<String> modules) {

    public LoraInputs {
        modules = Collections.unmodifiableSet(new LinkedHashSet<>(modules));
        if (rank < 1) {
            throw new IllegalArgumentException("lora rank must be at least 1 (got " + rank + ")");
        }
    }

    /** The inputs of a policy's adapters. */
    public static LoraInputs of(LoraAdapters adapters) {
        return new LoraInputs(adapters.settings().scale(), adapters.settings().rank(), adapters.modules());
    }

    public static String aKey(String module) {
        return LoraAdapters.peftKey(module, "lora_A");
    }

    public static String bKey(String module) {
        return LoraAdapters.peftKey(module, "lora_B");
    }

    /** Whether a graph input name is an adapter matrix (PEFT's key form). */
    public static boolean isAdapterKey(String name) {
        return name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight");
    }
}
