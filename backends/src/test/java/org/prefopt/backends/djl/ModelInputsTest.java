package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.safetensors.CheckpointTensors;
import org.prefopt.backends.safetensors.SafetensorsFormatException;
import org.prefopt.backends.safetensors.SafetensorsWriter;
import org.prefopt.backends.safetensors.TensorData;

/** Issue #20: model files and inputs a model cannot take are refused before any tensor is built, naming the cause. */
class ModelInputsTest {

    @TempDir
    Path tmp;

    private Path copyOfLlama(String configEdit) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.copy(Fixtures.checkpoint("llama").resolve("model.safetensors"), dir.resolve("model.safetensors"));
        String config = Files.readString(Fixtures.checkpoint("llama").resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), configEdit == null ? config
                : config.replaceFirst("\\{", "{" + configEdit + ","));
        return dir;
    }

    @Test
    void aMissingConfigJsonIsNamedAsMissing() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.read(tmp.resolve("config.json"))).getMessage();
        assertTrue(msg.startsWith("no config.json in " + tmp.toAbsolutePath() + ": a Hugging Face checkpoint"), msg);
    }

    @Test
    void nonFiniteWeightsAreRefusedAtLoadNamingTheTensor() throws Exception {
        Path dir = copyOfLlama(null);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (CheckpointTensors in = CheckpointTensors.open(dir)) {
            for (String name : in.names()) {
                tensors.put(name, in.read(name));
            }
        }
        String victim = "model.layers.0.mlp.up_proj.weight";
        TensorData t = tensors.get(victim);
        long n = 1;
        for (long d : t.shape()) {
            n *= d;
        }
        float[] values = new float[(int) n];
        values[3] = Float.NaN;
        tensors.put(victim, TensorData.ofFloats(t.shape(), values));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        String msg = assertThrows(SafetensorsFormatException.class, () -> Fixtures.policy(dir)).getMessage();
        assertTrue(msg.contains("weight '" + victim + "' holds NaN or infinite values"), msg);
    }

    /** A weight finite in the file but beyond float16's 65504 is refused under float16 as such, not as damage. */
    @Test
    void weightsBeyondFloat16RangeAreRefusedUnderFloat16() throws Exception {
        Path dir = copyOfLlama(null);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (CheckpointTensors in = CheckpointTensors.open(dir)) {
            for (String name : in.names()) {
                tensors.put(name, in.read(name));
            }
        }
        String victim = "model.norm.weight";
        float[] values = new float[(int) tensors.get(victim).shape()[0]];
        java.util.Arrays.fill(values, 1f);
        values[0] = 70000f;
        tensors.put(victim, TensorData.ofFloats(tensors.get(victim).shape(), values));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        DjlBackend f16 = new DjlBackend("cpu", "float16", 2);
        try {
            String msg = assertThrows(SafetensorsFormatException.class, () -> org.prefopt.backends.djl.policy.Policies
                    .fromCheckpoint(f16, dir, new TestTokenizer(), Fixtures.settings(1e-3, null, null, 7)))
                    .getMessage();
            assertTrue(msg.contains("weight '" + victim + "' holds values beyond float16's range (|x| > 65504)")
                    && msg.contains("use dtype = float32"), msg);
        } finally {
            f16.close();
        }
        Fixtures.policy(dir).close(); // float32 takes it
    }

    @Test
    void tokenIdsOutsideTheVocabularyAndSequencesBeyondTheContextAreRefused() throws Exception {
        try (DjlPolicyModel p = Fixtures.policy(copyOfLlama("\"max_position_embeddings\": 8"))) {
            int vocab = p.config().vocabSize();
            String badId = assertThrows(IllegalArgumentException.class, () -> p.generate(
                    List.of(new GenerationRequest("q1", new int[] {1, vocab}, 1)), SamplingParams.greedy(2)))
                    .getMessage();
            assertEquals("request 'q1': token id " + vocab + " is outside the model's vocabulary of " + vocab
                    + " (vocab_size); the tokenizer does not belong to this checkpoint", badId);

            String tooLong = assertThrows(IllegalArgumentException.class, () -> p.generate(
                    List.of(new GenerationRequest("q2", new int[] {1, 2, 3, 4, 5}, 1)), SamplingParams.greedy(4)))
                    .getMessage();
            assertTrue(tooLong.startsWith("request 'q2': a prompt of 5 tokens plus max-new-tokens 4 exceeds the"
                    + " model's context of 8 tokens (max_position_embeddings)"), tooLong);

            String scored = assertThrows(IllegalArgumentException.class, () -> p.score(
                    List.of(new TokenSequence(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7, 8, 9})),
                    ScoringMode.POLICY, false)).getMessage();
            assertTrue(scored.startsWith("sequence 0: 9 tokens exceed the model's context of 8 tokens"), scored);

            // within the context everything works as before
            assertEquals(1, p.generate(List.of(new GenerationRequest("ok", new int[] {1, 2, 3, 4}, 1)),
                    SamplingParams.greedy(4)).size());
        }
    }

    /** The engine-built mask, against the values worked out by hand for rows of 3 and 1 tokens. */
    @Test
    void theLeftPaddedMaskIsCausalAndHidesPadding() {
        float m = -1e30f;
        try (NDManager manager = Fixtures.backend().manager().newSubManager()) {
            Batch batch = Batch.leftPadded(manager, new int[][] {{7, 8, 9}, {5}});
            assertArrayEquals(new long[] {2, 1, 1, 3, 3}, batch.mask().getShape().getShape());
            assertArrayEquals(new float[] {
                    0, m, m,
                    0, 0, m,
                    0, 0, 0,
                    m, m, m,
                    m, m, m,
                    m, m, 0}, batch.mask().toFloatArray());
            assertArrayEquals(new long[] {7, 8, 9, 0, 0, 5}, batch.ids().toLongArray());
            assertArrayEquals(new float[] {0, 1, 2, 0, 0, 0}, batch.positions().toFloatArray());
        }
    }
}
