package org.prefopt.backends.djl.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.backends.djl.DjlCompute;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.ModelWeights;
import org.prefopt.backends.tokenizer.HfTokenizers;
import org.prefopt.backends.tokenizer.TinyTokenizer;

/** Builds {@link DjlPolicyModel}s from a checkpoint directory or a preset. */
public final class Policies {

    private Policies() {
    }

    /** The DJL compute context that {@code backend} offers, or an error naming the policy type and the fix. */
    public static DjlCompute compute(Backend backend, String policyType) {
        return backend.unwrap(DjlCompute.class).orElseThrow(() -> new IllegalArgumentException("policy type '"
                + policyType + "' trains on the djl-pytorch backend; the run selected backend engine '"
                + backend.info().engine() + "'. Set backend.type = djl-pytorch"));
    }

    /** {@code policy { type = hf }}: the checkpoint directory at {@code path}, with the tokenizer files in it. */
    public static DjlPolicyModel hf(Backend backend, Config options) {
        Path dir = Path.of(options.getString("path"));
        return fromCheckpoint(compute(backend, "hf"), dir, HfTokenizers.load(dir), PolicySettings.from(options));
    }

    /** {@code policy { type = tiny }}: the {@code preset}, randomly initialised. */
    public static DjlPolicyModel tiny(Backend backend, Config options) {
        return tiny(compute(backend, "tiny"), options.getString("preset"), PolicySettings.from(options));
    }

    /** Loads {@code config.json} and the safetensors weights of an HF checkpoint directory. */
    public static DjlPolicyModel fromCheckpoint(DjlCompute compute, Path dir, TextTokenizer tokenizer,
                                                PolicySettings settings) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model path " + dir + " is not a directory (expected a Hugging Face "
                    + "checkpoint with config.json and model.safetensors)");
        }
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        settings = withAdapterSettings(settings);
        NDManager m = compute.manager().newSubManager();
        try {
            Map<String, NDArray> w = ModelWeights.load(m, cfg, dir, compute.dtype());
            return new DjlPolicyModel(dir.getFileName().toString(), compute, cfg, m, w,
                    VocabBoundTokenizer.forModel(cfg.vocabSize(), tokenizer), dir, dir, settings);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * The {@code tiny} policy: writes the character-level tokenizer files to a fresh directory and builds the
     * preset, randomly initialised, on them.
     */
    public static DjlPolicyModel tiny(DjlCompute compute, String preset, PolicySettings settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("prefopt-tiny-tokenizer");
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the tiny tokenizer", e);
        }
        TinyTokenizer.write(dir);
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().deleteOnExit()); // registered after the directory: deleted before it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        TextTokenizer tokenizer = HfTokenizers.load(dir);
        var cfg = Presets.get(preset, TinyTokenizer.VOCAB_SIZE, tokenizer.eosTokenIds());
        return random(compute, preset, cfg, VocabBoundTokenizer.forModel(cfg.vocabSize(), tokenizer), dir, settings);
    }

    /** A randomly initialised model of the given shape. */
    public static DjlPolicyModel random(DjlCompute compute, String name, ModelConfig cfg, TextTokenizer tokenizer,
                                        Path tokenizerDir, PolicySettings settings) {
        settings = withAdapterSettings(settings);
        NDManager m = compute.manager().newSubManager();
        try {
            Map<String, NDArray> w = ModelWeights.random(m, cfg, compute.dtype(), settings.seed());
            return new DjlPolicyModel(name, compute, cfg, m, w, tokenizer, tokenizerDir, null, settings);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A saved adapter's own rank/alpha/targets win over the run file's lora section. */
    private static PolicySettings withAdapterSettings(PolicySettings s) {
        if (s.loraAdapter() == null) {
            return s;
        }
        LoraSettings saved = LoraAdapters.readPeftSettings(s.loraAdapter());
        LoraSettings merged = new LoraSettings(saved.rank(), saved.alpha(), s.lora().dropout(), saved.targetModules());
        return new PolicySettings(s.optimizer(), merged, s.loraAdapter(), s.seed(), s.logitsChunkTokens(),
                s.gradientCheckpointing(), s.referenceCopy(), s.lossScale());
    }
}
