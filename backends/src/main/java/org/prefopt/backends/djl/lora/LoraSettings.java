package org.prefopt.backends.djl.lora;

import java.util.List;

/**
 * LoRA hyper-parameters, as PEFT names them.
 *
 * @param targetModules projection names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)
 */
public record LoraSettings(int rank, double alpha, double dropout, List<String> targetModules) {

    public static final List<String> PROJECTIONS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraSettings {
        targetModules = List.copyOf(targetModules);
        if (rank < 1) {
            throw new IllegalArgumentException("lora rank must be at least 1 (got " + rank + ")");
        }
        for (String t : targetModules) {
            if (!PROJECTIONS.contains(t)) {
                throw new IllegalArgumentException("unknown lora target module '" + t + "'; choose from " + PROJECTIONS);
            }
        }
        if (targetModules.isEmpty()) {
            throw new IllegalArgumentException("lora target-modules must not be empty");
        }
    }

    public double scale() {
        return alpha / rank;
    }
}
