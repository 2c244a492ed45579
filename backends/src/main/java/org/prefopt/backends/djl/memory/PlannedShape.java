package org.prefopt.backends.djl.memory;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.policy.Presets;
import org.prefopt.backends.tokenizer.TinyTokenizer;

/**
 * A policy's shape as its options name it, found without loading weights, and where it came from.
 *
 * @param source          printed with the plan: a preset, a checkpoint's config.json, or prefopt's table of known
 *                        shapes
 * @param checkpointBytes the size of the checkpoint's safetensors files (0 for a randomly initialised preset)
 */
record PlannedShape(ModelConfig config, String source, long checkpointBytes) {

    /** Published checkpoints of the table are stored in bfloat16. */
    private static final long PUBLISHED_BYTES_PER_PARAMETER = 2;

    /** {@code policy { type = tiny }}: the preset, at the character tokenizer's vocabulary. */
    static PlannedShape tiny(Config options) {
        String preset = options.getString("preset");
        return new PlannedShape(Presets.get(preset, TinyTokenizer.VOCAB_SIZE, Set.of()), "preset " + preset, 0);
    }

    /**
     * {@code policy { type = hf }}: the checkpoint's config.json; when it is absent (a run file prepared before the
     * download), the published shape of a known checkpoint of that name, labelled as such.
     */
    static PlannedShape hf(Config options) {
        Path dir = Path.of(options.getString("path"));
        Path json = dir.resolve("config.json");
        if (Files.isRegularFile(json)) {
            return new PlannedShape(ModelConfig.read(json), json.toString(), safetensorsBytes(dir));
        }
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return KnownCheckpoints.byDirectoryName(name)
                .map(c -> new PlannedShape(c, "prefopt's table of known shapes (" + name + "): " + json
                        + " is not there yet", c.parameterCount() * PUBLISHED_BYTES_PER_PARAMETER))
                .orElseThrow(() -> new IllegalArgumentException("needs the checkpoint's config.json: " + json
                        + " is missing, and '" + name + "' is not in prefopt's table of known shapes "
                        + new TreeSet<>(KnownCheckpoints.names()) + " (download the checkpoint, or point policy.path"
                        + " at its directory)"));
    }

    private static long safetensorsBytes(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
