package org.prefopt.backends.djl.memory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.prefopt.backends.djl.model.ModelConfig;

/**
 * prefopt's own table of the shapes of a few published checkpoints, keyed by their Hugging Face name (the last part
 * of a checkpoint directory's path, with or without {@code -Instruct}). Used only to plan memory for a run file whose
 * checkpoint has not been downloaded yet; the plan says so. Values copied from each model's config.json on the
 * Hugging Face hub (Qwen/Qwen2.5-*-Instruct).
 */
final class KnownCheckpoints {

    private static final Map<String, ModelConfig> SHAPES = Map.of(
            "Qwen2.5-0.5B", qwen2(896, 4864, 24, 14, 2, 151936, true),
            "Qwen2.5-1.5B", qwen2(1536, 8960, 28, 12, 2, 151936, true),
            "Qwen2.5-3B", qwen2(2048, 11008, 36, 16, 2, 151936, true),
            "Qwen2.5-7B", qwen2(3584, 18944, 28, 28, 4, 152064, false));

    private KnownCheckpoints() {
    }

    /** The shape of the checkpoint whose directory is named {@code directoryName}, if the table has it. */
    static Optional<ModelConfig> byDirectoryName(String directoryName) {
        String key = directoryName.endsWith("-Instruct")
                ? directoryName.substring(0, directoryName.length() - "-Instruct".length()) : directoryName;
        return SHAPES.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .findFirst();
    }

    static Set<String> names() {
        return SHAPES.keySet();
    }

    private static ModelConfig qwen2(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab,
                                     boolean tied) {
        return new ModelConfig(ModelConfig.QWEN2, vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads,
                1000000.0, 1e-6, tied, true, Set.of(), null, 32768);
    }
}
