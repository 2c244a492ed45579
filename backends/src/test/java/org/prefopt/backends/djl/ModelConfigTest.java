package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.RopeScaling;
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
        assertTrue(msg.contains("rope_scaling (llama3) needs a number 'factor'"), msg);
        Files.writeString(c, Files.readString(Fixtures.checkpoint("llama").resolve("config.json"))
                .replace("\"rope_theta\"", "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}, \"rope_theta\""));
        msg = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(c)).getMessage();
        assertTrue(msg.contains("rope_scaling type 'yarn' is not implemented (only unscaled RoPE and llama3 are)"), msg);
        Files.writeString(c, Files.readString(Fixtures.checkpoint("llama").resolve("config.json"))
                .replace("\"hidden_size\": 16", "\"hidden_size\": -3"));
        msg = assertThrows(IllegalArgumentException.class, () -> ModelConfig.read(c)).getMessage();
        assertTrue(msg.contains("hidden_size"), msg);
    }

    /**
     * Llama 3.1's settings (theta 500000, head_dim 64, factor 8, low 1, high 4, original 8192). Expected values from
     * a float64 transcription of transformers' {@code _compute_llama3_parameters}: pair 0 is kept (high frequency),
     * pairs 20 and 31 are divided by 8 (low frequency), pairs 15 to 17 are interpolated.
     */
    @Test
    void llama3RopeScalingMatchesTransformers(@TempDir Path tmp) throws Exception {
        Path c = tmp.resolve("config.json");
        Files.writeString(c, Files.readString(Fixtures.checkpoint("llama").resolve("config.json"))
                .replace("\"rope_theta\"", "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
                        + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                        + " \"original_max_position_embeddings\": 8192}, \"rope_theta\""));
        RopeScaling r = ModelConfig.read(c).ropeScaling();
        assertEquals(new RopeScaling(8.0, 1.0, 4.0, 8192), r);
        double[][] cases = {
            {1.0, 1.0},
            {0.016560440080994446, 0.016560440080994446},
            {0.0021311195369119653, 0.0013718935677611381},
            {0.001414213562373095, 0.0005248461609929547},
            {0.0009384738703573801, 0.00017850781276799638},
            {0.0002742481756762073, 3.428102195952591e-05},
            {3.0138581521391708e-06, 3.7673226901739635e-07},
        };
        for (double[] k : cases) {
            assertEquals(k[1], r.scale(k[0]), 1e-15 + 1e-12 * k[1], "inv_freq " + k[0]);
        }
        // written back on export, so the checkpoint reloads the same
        assertEquals(r, RopeScaling.parse(ModelConfig.read(c).toJson("float32").get("rope_scaling"), "x"));
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
