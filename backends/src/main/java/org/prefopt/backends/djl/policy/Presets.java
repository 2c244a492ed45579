package org.prefopt.backends.djl.policy;

import java.util.List;
import java.util.Set;
import org.prefopt.backends.djl.model.ModelConfig;

/** Built-in model shapes for runs without a checkpoint. */
public final class Presets {

    public static final List<String> NAMES = List.of("tiny", "small", "bench-small");

    private Presets() {
    }

    /**
     * @param tokenizerVocab vocabulary size of the tokenizer the preset is used with (tiny sizes itself to it)
     * @param eos            end-of-sequence ids
     */
    /**
     * The context the random presets declare (max_position_embeddings of their config.json, as written since they
     * existed), so that a prompt plus max-new-tokens beyond it is refused rather than run out of memory.
     */
    static final int CONTEXT = 32768;

    public static ModelConfig get(String name, int tokenizerVocab, Set<Integer> eos) {
        return switch (name) {
            // ~0.1M parameters: a GRPO step of 64 completions × 64 tokens in about a second on 2 CPU cores
            case "tiny" -> new ModelConfig(ModelConfig.LLAMA, tokenizerVocab, 64, 176, 2, 4, 2, 16, 10000.0, 1e-5,
                    true, false, eos, null, Presets.CONTEXT);
            // ~0.4M parameters: tiny's depth (so about its cost per generated token, which is call overhead at this
            // size) with twice its width, enough to learn arithmetic that carries over to unseen problems
            case "small" -> new ModelConfig(ModelConfig.LLAMA, tokenizerVocab, 128, 352, 2, 4, 2, 32, 10000.0, 1e-5,
                    true, false, eos, null, Presets.CONTEXT);
            // ~25M parameters: the speed benchmark's model
            case "bench-small" -> new ModelConfig(ModelConfig.LLAMA, Math.max(4096, tokenizerVocab), 512, 1408, 8,
                    8, 2, 64, 10000.0, 1e-5, true, false, eos, null, Presets.CONTEXT);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; choose from " + NAMES);
        };
    }
}
