package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.PolicyDiagnostics.logits;
import static org.prefopt.backends.djl.PolicyDiagnostics.maxDiff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.safetensors.SafetensorsFile;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Reduced precision: bfloat16 checkpoints load (widened), float16 serves inference (float16 training:
 * {@link Float16TrainingTest}).
 */
class Float16Test {

    @Test
    void bfloat16BackendIsRefusedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DjlBackend("cpu", "bfloat16", 2));
        assertTrue(e.getMessage().contains("float16"), e.getMessage());
    }

    /** Qwen2.5 ships bfloat16 weights: they are widened exactly to float32 when loaded. */
    @Test
    void bfloat16CheckpointsLoad(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("bf16");
        Files.createDirectories(dir);
        Files.copy(Fixtures.checkpoint("llama").resolve("config.json"), dir.resolve("config.json"));
        Map<String, TensorData> out = new LinkedHashMap<>();
        Map<String, TensorData> truncated = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.checkpoint("llama").resolve("model.safetensors"))) {
            for (String n : f.tensors().keySet()) {
                var t = f.read(n);
                var in = t.data().asFloatBuffer();
                ByteBuffer b = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
                float[] back = new float[in.remaining()];
                for (int i = 0; in.hasRemaining(); i++) {
                    int bits = Float.floatToIntBits(in.get()) >>> 16;
                    b.putShort((short) bits);
                    back[i] = Float.intBitsToFloat(bits << 16);
                }
                b.flip();
                out.put(n, new TensorData(TensorDType.BF16, t.shape(), b));
                truncated.put(n, TensorData.ofFloats(t.shape(), back));
            }
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), out, Map.of());
        Path f32dir = tmp.resolve("f32");
        Files.createDirectories(f32dir);
        Files.copy(dir.resolve("config.json"), f32dir.resolve("config.json"));
        SafetensorsWriter.write(f32dir.resolve("model.safetensors"), truncated, Map.of());
        int[][] input = {{1, 5, 9, 3, 7}};
        try (DjlPolicyModel a = Fixtures.policy(dir); DjlPolicyModel b = Fixtures.policy(f32dir)) {
            // the same values stored as bf16 and as f32 give the same logits: the widening is exact
            assertTrue(maxDiff(logits(a, input, ScoringMode.POLICY), logits(b, input, ScoringMode.POLICY)) == 0);
        }
    }

    @Test
    void float16ServesInference() {
        DjlBackend f16 = new DjlBackend("cpu", "float16", 2);
        int[][] input = {{1, 5, 9, 3, 7}, {4, 8, 15}};
        try (DjlPolicyModel f32 = Fixtures.policy("llama", 1e-2, null);
             DjlPolicyModel h = Policies.fromCheckpoint(f16, Fixtures.checkpoint("llama"), new TestTokenizer(),
                     Fixtures.settings(5e-2, Fixtures.lora(), null, 7))) {
            double d = maxDiff(logits(f32, input, ScoringMode.POLICY), logits(h, input, ScoringMode.POLICY));
            assertTrue(d < 0.05, "f16 vs f32 max logit diff " + d);
            var groups = h.generate(List.of(new GenerationRequest("x", new int[] {1, 5}, 2)),
                    new SamplingParams(4, 1.0, 0.9, 0, false, List.of(), 1));
            assertTrue(groups.get(0).completions().get(0).length() > 0);
        } finally {
            f16.close();
        }
    }
}
