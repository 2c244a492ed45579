package org.prefopt.backends.djl.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.backends.djl.DjlBackend;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.ModelWeights;

/** Builds {@link DjlPolicyModel}s from a checkpoint directory or a preset. */
public final class Policies {

    private Policies() {
    }

    public static DjlBackend requireDjl(Backend backend, String policyType) {
        if (backend instanceof DjlBackend d) {
            return d;
        }
        throw new IllegalArgumentException("policy type '" + policyType + "' trains on the djl-pytorch backend; "
                + "the run selected backend engine '" + backend.info().engine() + "'. Set backend.type = djl-pytorch");
    }

    /** Loads {@code config.json} and the safetensors weights of an HF checkpoint directory. */
    public static DjlPolicyModel fromCheckpoint(DjlBackend backend, Path dir, TextTokenizer tokenizer,
                                                PolicySettings settings) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model path " + dir + " is not a directory (expected a Hugging Face "
                    + "checkpoint with config.json and model.safetensors)");
        }
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        settings = withAdapterSettings(settings);
        NDManager m = backend.manager().newSubManager();
        try {
            Map<String, NDArray> w = ModelWeights.load(m, cfg, dir, backend.dtype());
            return new DjlPolicyModel(dir.getFileName().toString(), backend, cfg, m, w, tokenizer, dir, settings);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A randomly initialised model of the given shape. */
    public static DjlPolicyModel random(DjlBackend backend, String name, ModelConfig cfg, TextTokenizer tokenizer,
                                        Path tokenizerDir, PolicySettings settings) {
        settings = withAdapterSettings(settings);
        NDManager m = backend.manager().newSubManager();
        try {
            Map<String, NDArray> w = ModelWeights.random(m, cfg, backend.dtype(), settings.seed());
            return new DjlPolicyModel(name, backend, cfg, m, w, tokenizer, tokenizerDir, settings);
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
                s.gradientCheckpointing(), s.referenceCopy());
    }
}
