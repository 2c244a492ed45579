package org.prefopt.backends.djl;

import java.nio.file.Path;
import java.util.List;
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
        return new PolicySettings(new OptimizerSettings(lr, 0.0, 0.9, 0.999, 1e-8, 1.0,
                new LrSchedule("constant", 0, 0)), lora, adapter, seed, 0, true);
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
