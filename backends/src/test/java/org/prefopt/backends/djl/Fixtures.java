package org.prefopt.backends.djl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.djl.policy.PolicySettings;
import org.prefopt.backends.djl.training.LrSchedule;
import org.prefopt.backends.djl.training.OptimizerSettings;

/** Shared test fixtures: one CPU backend per JVM (the engine is global anyway) and the reference checkpoints. */
final class Fixtures {

    private static DjlBackend backend;

    private Fixtures() {
    }

    static synchronized DjlBackend backend() {
        if (backend == null) {
            backend = new DjlBackend("cpu", "float32", 2);
        }
        return backend;
    }

    static Path checkpoint(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/reference/" + name + "/config.json").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static PolicySettings settings(double lr, LoraSettings lora, Path adapter, long seed) {
        return settings(lr, lora, adapter, seed, 0, false);
    }

    static PolicySettings settings(double lr, LoraSettings lora, Path adapter, long seed, int logitsChunkTokens,
                                   boolean gradientCheckpointing) {
        return new PolicySettings(new OptimizerSettings(lr, 0.0, 0.9, 0.999, 1e-8, 1.0,
                new LrSchedule("constant", 0, 0)), lora, adapter, seed, logitsChunkTokens, gradientCheckpointing, true);
    }

    /**
     * A loss with per-token weights on log-probs ({@code 0.1·(i+1)}) and entropies ({@code −0.05·i}), so every path
     * of the output layer's backward pass carries a different gradient.
     */
    static TokenLoss weightedTokenLoss() {
        return scores -> {
            List<float[]> g = new ArrayList<>();
            List<float[]> e = new ArrayList<>();
            for (SequenceScores s : scores) {
                float[] gi = new float[s.logprobs().length];
                float[] ei = new float[s.logprobs().length];
                for (int i = 0; i < gi.length; i++) {
                    gi[i] = 0.1f * (i + 1);
                    ei[i] = -0.05f * i;
                }
                g.add(gi);
                e.add(ei);
            }
            return new LossGradients(0, g, e);
        };
    }

    static LoraSettings lora() {
        return new LoraSettings(4, 8, 0.0, List.of("q_proj", "v_proj", "o_proj", "down_proj"));
    }

    static DjlPolicyModel policy(Path dir) {
        return Policies.fromCheckpoint(backend(), dir, new TestTokenizer(), settings(1e-3, null, null, 7));
    }

    static DjlPolicyModel policy(String checkpoint, double lr, LoraSettings lora) {
        return Policies.fromCheckpoint(backend(), checkpoint(checkpoint), new TestTokenizer(),
                settings(lr, lora, null, 7));
    }
}
