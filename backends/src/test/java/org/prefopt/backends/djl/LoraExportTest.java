package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.maxDiff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.safetensors.SafetensorsFile;

class LoraExportTest {

    static final int[][] INPUT = {{1, 5, 9, 3, 7}, {4, 8, 15}};

    static void train(DjlPolicyModel p, int steps) {
        for (int i = 0; i < steps; i++) {
            p.accumulateGradients(PolicyTrainingTest.ONE, PolicyTrainingTest.SFT, false);
            p.optimizerStep();
        }
    }

    @Test
    void zeroInitialisedAdaptersLeaveOutputsUnchanged() {
        try (DjlPolicyModel base = Fixtures.policy("qwen2", 1e-2, null);
             DjlPolicyModel adapted = Fixtures.policy("qwen2", 1e-2, Fixtures.lora())) {
            assertArrayEquals(logits(base, INPUT, ScoringMode.POLICY), logits(adapted, INPUT, ScoringMode.POLICY));
            assertArrayEquals(logits(base, INPUT, ScoringMode.POLICY), logits(adapted, INPUT, ScoringMode.REFERENCE));
        }
    }

    @Test
    void savedAdapterReloadsAndMergeEqualsAdapterOn(@TempDir Path tmp) throws Exception {
        float[] trained;
        try (DjlPolicyModel p = Fixtures.policy("llama", 5e-2, Fixtures.lora())) {
            train(p, 4);
            trained = logits(p, INPUT, ScoringMode.POLICY);
            assertTrue(maxDiff(trained, logits(p, INPUT, ScoringMode.REFERENCE)) > 1e-3, "training changed nothing");
            p.export(tmp.resolve("adapter"), false);
            p.export(tmp.resolve("merged"), true);
        }
        Path adapter = tmp.resolve("adapter");
        JsonNode cfg = new ObjectMapper().readTree(adapter.resolve("adapter_config.json").toFile());
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals(4, cfg.get("r").asInt());
        try (SafetensorsFile f = SafetensorsFile.open(adapter.resolve("adapter_model.safetensors"))) {
            assertTrue(f.tensors().containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
            assertTrue(f.tensors().containsKey("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
            assertFalse(f.tensors().containsKey("base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight"));
            assertEquals(Arrays.toString(new long[] {4, 16}),
                    Arrays.toString(f.tensors().get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")
                            .shape()));
        }
        try (DjlPolicyModel reloaded = Policies.fromCheckpoint(Fixtures.backend(), Fixtures.checkpoint("llama"),
                new TestTokenizer(), Fixtures.settings(1e-3, Fixtures.lora(), adapter, 99))) {
            assertArrayEquals(trained, logits(reloaded, INPUT, ScoringMode.POLICY));
        }
        Path merged = tmp.resolve("merged");
        assertTrue(Files.exists(merged.resolve("config.json")));
        try (DjlPolicyModel m = Policies.fromCheckpoint(Fixtures.backend(), merged, new TestTokenizer(),
                Fixtures.settings(1e-3, null, null, 1))) {
            double d = maxDiff(trained, logits(m, INPUT, ScoringMode.POLICY));
            assertTrue(d < 1e-5, "merged vs adapter-on max diff " + d);
            System.out.printf("LoRA merge vs adapter-on: max |logit diff| %.2e%n", d);
        }
    }

    @Test
    void mergedExportLeavesThePolicyAsItWas(@TempDir Path tmp) {
        // merging once changed the float32 base weights in place: the policy drifted by one delta per export
        try (DjlPolicyModel p = Fixtures.policy("llama", 5e-2, Fixtures.lora())) {
            train(p, 2);
            var seq = List.of(new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 2}));
            float[] before = p.score(seq, ScoringMode.POLICY, false).get(0).logprobs();
            p.export(tmp.resolve("merged"), true);
            p.export(tmp.resolve("merged-again"), true);
            assertArrayEquals(before, p.score(seq, ScoringMode.POLICY, false).get(0).logprobs(), 0f);
        }
    }

    @Test
    void fullFineTuneExportsAnHfCheckpoint(@TempDir Path tmp) {
        float[] trained;
        try (DjlPolicyModel p = Fixtures.policy("qwen2", 1e-2, null)) {
            train(p, 2);
            trained = logits(p, INPUT, ScoringMode.POLICY);
            p.export(tmp.resolve("out"), false);
        }
        try (DjlPolicyModel q = Policies.fromCheckpoint(Fixtures.backend(), tmp.resolve("out"), new TestTokenizer(),
                Fixtures.settings(1e-3, null, null, 1))) {
            assertArrayEquals(trained, logits(q, INPUT, ScoringMode.POLICY));
            assertTrue(q.config().tieWordEmbeddings());
            assertTrue(q.config().attentionBias());
        }
    }
}
