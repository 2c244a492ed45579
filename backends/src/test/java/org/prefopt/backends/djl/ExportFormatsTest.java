package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.LoraExportTest.INPUT;
import static org.prefopt.backends.djl.LoraExportTest.train;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.maxDiff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsFile;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/** Issue #23: what the PEFT and merged exports hold beyond {@link LoraExportTest}, and what they refuse. */
class ExportFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Qwen3's head_dim (8) differs from hidden/heads (4): adapters on q/k/o have the head_dim shapes. */
    @Test
    void qwen3AdapterRoundTripsAndNamesItsBaseDirectory() throws Exception {
        LoraSettings lora = new LoraSettings(2, 4, 0.0, List.of("q_proj", "k_proj", "o_proj", "up_proj"));
        Path base = Fixtures.checkpoint("qwen3");
        float[] trained;
        try (DjlPolicyModel p = Policies.fromCheckpoint(Fixtures.backend(), base, new TestTokenizer(),
                Fixtures.settings(5e-2, lora, null, 3))) {
            assertTrue(p.trainsAdapters());
            train(p, 3);
            trained = logits(p, INPUT, ScoringMode.POLICY);
            assertTrue(maxDiff(trained, logits(p, INPUT, ScoringMode.REFERENCE)) > 1e-3, "training changed nothing");
            p.export(tmp.resolve("adapter"), false);
            p.export(tmp.resolve("merged"), true);
        }
        JsonNode cfg = JSON.readTree(tmp.resolve("adapter/adapter_config.json").toFile());
        assertEquals(base.toAbsolutePath().normalize().toString(), cfg.get("base_model_name_or_path").asText());
        assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
        assertEquals(2, cfg.get("r").asInt());
        assertTrue(cfg.get("lora_alpha").isIntegralNumber(), "PEFT types lora_alpha as int: " + cfg);
        assertEquals(4, cfg.get("lora_alpha").asInt());
        try (SafetensorsFile f = SafetensorsFile.open(tmp.resolve("adapter/adapter_model.safetensors"))) {
            // q_proj: in 16 -> out 4 heads x 8; o_proj: in 32 -> out 16
            assertArrayEquals(new long[] {32, 2},
                    f.tensors().get("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight").shape());
            assertArrayEquals(new long[] {2, 32},
                    f.tensors().get("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight").shape());
        }
        try (DjlPolicyModel reloaded = Policies.fromCheckpoint(Fixtures.backend(), base, new TestTokenizer(),
                Fixtures.settings(1e-3, lora, tmp.resolve("adapter"), 99))) {
            assertArrayEquals(trained, logits(reloaded, INPUT, ScoringMode.POLICY));
        }
        JsonNode merged = JSON.readTree(tmp.resolve("merged/config.json").toFile());
        assertEquals("Qwen3ForCausalLM", merged.get("architectures").get(0).asText());
        assertEquals(8, merged.get("head_dim").asInt());
        assertEquals("float32", merged.get("torch_dtype").asText());
        try (DjlPolicyModel m = Fixtures.policy(tmp.resolve("merged"))) {
            double d = maxDiff(trained, logits(m, INPUT, ScoringMode.POLICY));
            assertTrue(d < 1e-5, "merged vs adapter-on max diff " + d);
        }
    }

    /** A bfloat16 checkpoint merges back into bfloat16: untouched weights bit for bit, adapted ones rounded. */
    @Test
    void aBfloat16BaseIsExportedAsBfloat16() throws Exception {
        Path bf16 = Files.createDirectories(tmp.resolve("llama-bf16"));
        Map<String, TensorData> narrowed = new LinkedHashMap<>();
        try (DjlPolicyModel source = Fixtures.policy(Fixtures.checkpoint("llama"))) {
            source.weights().base().forEach((k, v) -> narrowed.put(k,
                    org.prefopt.backends.djl.model.NdTensors.fromNd(v, TensorDType.BF16)));
        }
        SafetensorsWriter.write(bf16.resolve("model.safetensors"), narrowed, Map.of());
        Files.writeString(bf16.resolve("config.json"), Files.readString(Fixtures.checkpoint("llama")
                .resolve("config.json")).replace("\"float32\"", "\"bfloat16\""));
        try (DjlPolicyModel p = Policies.fromCheckpoint(Fixtures.backend(), bf16, new TestTokenizer(),
                Fixtures.settings(5e-2, Fixtures.lora(), null, 3))) {
            train(p, 2);
            p.export(tmp.resolve("merged"), true);
        }
        assertEquals("bfloat16", JSON.readTree(tmp.resolve("merged/config.json").toFile()).get("torch_dtype").asText());
        assertTrue(Files.isRegularFile(tmp.resolve("merged/generation_config.json")));
        try (CheckpointTensors in = CheckpointTensors.open(bf16); CheckpointTensors out = CheckpointTensors.open(
                tmp.resolve("merged"))) {
            for (String name : in.names()) {
                assertEquals(TensorDType.BF16, out.info(name).dtype(), name);
            }
            String untouched = "model.layers.0.self_attn.k_proj.weight"; // k_proj is no target of Fixtures.lora()
            assertEquals(in.read(untouched).data(), out.read(untouched).data());
            String adapted = "model.layers.0.self_attn.q_proj.weight";
            assertNotEquals(in.read(adapted).data(), out.read(adapted).data());
        }
    }

    @Test
    void anAdapterOnAMergedBaseIsRefusedAsPeftButExportsMerged() {
        try (DjlPolicyModel p = Fixtures.policy("llama", 5e-2, Fixtures.lora())) {
            train(p, 1);
            p.resetReference();
            train(p, 1);
            String msg = assertThrows(IllegalStateException.class, () -> p.export(tmp.resolve("a"), false))
                    .getMessage();
            assertTrue(msg.contains("Export the merged checkpoint instead (--format hf --merge)"), msg);
            assertFalse(Files.exists(tmp.resolve("a")));
            p.export(tmp.resolve("m"), true);
            assertTrue(Files.isRegularFile(tmp.resolve("m/model.safetensors")));
        }
    }

    @Test
    void peftVariantsThatComputeSomethingElseAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rslora"));
        String base = "{\"peft_type\":\"LORA\",\"r\":4,\"lora_alpha\":8,\"target_modules\":[\"q_proj\"]";
        Files.writeString(dir.resolve(LoraAdapters.PEFT_CONFIG), base + ",\"use_rslora\":true}");
        String msg = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.readPeftSettings(dir))
                .getMessage();
        assertTrue(msg.endsWith("adapter_config.json: use_rslora = true is not supported (prefopt computes plain"
                + " LoRA: W x + lora_alpha/r · B A x)"), msg);
        Files.writeString(dir.resolve(LoraAdapters.PEFT_CONFIG), base.replace("[\"q_proj\"]", "\"q_proj|v_proj\"")
                + "}");
        msg = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.readPeftSettings(dir)).getMessage();
        assertTrue(msg.contains("target_modules must be a list of projection names"), msg);
        Files.writeString(dir.resolve(LoraAdapters.PEFT_CONFIG), base.replace("q_proj", "lm_head") + "}");
        msg = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.readPeftSettings(dir)).getMessage();
        assertTrue(msg.contains("adapter_config.json: unknown lora target module 'lm_head'"), msg);
    }
}
