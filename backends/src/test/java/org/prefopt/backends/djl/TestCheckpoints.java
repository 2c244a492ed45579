package org.prefopt.backends.djl;

import java.nio.file.Path;

/** Fixtures for tests outside this package. */
public final class TestCheckpoints {

    private TestCheckpoints() {
    }

    public static Path llama() {
        return Fixtures.checkpoint("llama");
    }

    public static Path qwen2() {
        return Fixtures.checkpoint("qwen2");
    }

    /** A policy on a reference checkpoint, full fine-tuning, seed 7. */
    public static org.prefopt.backends.djl.policy.DjlPolicyModel policy(Path dir) {
        return Fixtures.policy(dir);
    }

    /** A policy on a reference checkpoint with the test LoRA adapters (rank 4 on q, v, o, down). */
    public static org.prefopt.backends.djl.policy.DjlPolicyModel loraPolicy(String checkpoint, double lr) {
        return Fixtures.policy(checkpoint, lr, Fixtures.lora());
    }

    /** A LoRA policy (rank 4, alpha 8) on {@code targets} only. */
    public static org.prefopt.backends.djl.policy.DjlPolicyModel loraPolicy(String checkpoint, double lr,
                                                                            java.util.List<String> targets) {
        return Fixtures.policy(checkpoint, lr, new org.prefopt.backends.djl.lora.LoraSettings(4, 8, 0.0, targets));
    }

    /** The {@code tiny} preset (random, seed 3) with its character tokenizer. */
    public static org.prefopt.backends.djl.policy.DjlPolicyModel tinyPolicy() {
        return org.prefopt.backends.djl.policy.Policies.tiny(Fixtures.backend(), "tiny",
                Fixtures.settings(1e-3, null, null, 3));
    }

    public static DjlBackend backend() {
        return Fixtures.backend();
    }
}
