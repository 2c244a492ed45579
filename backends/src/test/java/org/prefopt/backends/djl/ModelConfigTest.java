package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.safetensors.SafetensorsFormatException;

class ModelConfigTest {

    @Test
    void readsQwen2AndLlamaConfigs() {
        ModelConfig q = ModelConfig.read(Fixtures.checkpoint("qwen2").resolve("config.json"));
        assertEquals(ModelConfig.QWEN2, q.architecture());
        assertTrue(q.attentionBias());
        assertTrue(q.tieWordEmbeddings());
        assertEquals(8, q.headDim());
        assertEquals(4, q.kvGroups());
        assertEquals(java.util.Set.of(2, 3), q.eosTokenIds());
        ModelConfig l = ModelConfig.read(Fixtures.checkpoint("llama").resolve("config.json"));
        assertEquals(4, l.headDim());
        assertEquals(10000.0, l.ropeTheta());
    }

    @Test
    void rejectsUnknownArchitectureAndScaledRope(@TempDir Path tmp) throws Exception {
        Path c = tmp.resolve("config.json");
        Files.writeString(c, "{\"architectures\":[\"GPT2LMHeadModel\"],\"vocab_size\":5}");
        String msg = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(c)).getMessage();
        assertTrue(msg.contains("GPT2LMHeadModel") && msg.contains("LlamaForCausalLM"), msg);
        Files.writeString(c, Files.readString(Fixtures.checkpoint("llama").resolve("config.json"))
                .replace("\"rope_theta\"", "\"rope_scaling\": {\"rope_type\": \"llama3\"}, \"rope_theta\""));
        msg = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(c)).getMessage();
        assertTrue(msg.contains("llama3"), msg);
        Files.writeString(c, Files.readString(Fixtures.checkpoint("llama").resolve("config.json"))
                .replace("\"hidden_size\": 16", "\"hidden_size\": -3"));
        msg = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(c)).getMessage();
        assertTrue(msg.contains("hidden_size"), msg);
    }

    @Test
    void checkpointWithWrongShapesIsRejected(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.copy(Fixtures.checkpoint("llama").resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(Fixtures.checkpoint("llama")
                .resolve("config.json")).replace("\"intermediate_size\": 24", "\"intermediate_size\": 32"));
        String msg = assertThrows(SafetensorsFormatException.class, () -> Fixtures.policy(dir)).getMessage();
        assertTrue(msg.contains("mlp.gate_proj.weight") && msg.contains("shape"), msg);
    }
}
