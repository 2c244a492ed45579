package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.KvCache;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.ModelWeights;

/**
 * Logits of tiny HF-layout checkpoints against the float64 PyTorch reference in
 * {@code src/test/python/reference_logits.py} (expected values committed under {@code reference/}).
 */
class DecoderReferenceTest {

    static final double TOLERANCE = 1e-4;
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static Path dir(String name) throws Exception {
        return Path.of(DecoderReferenceTest.class.getResource("/reference/" + name + "/config.json").toURI()).getParent();
    }

    static int[][] sequences(JsonNode expected) {
        JsonNode s = expected.get("sequences");
        int[][] out = new int[s.size()][];
        for (int i = 0; i < s.size(); i++) {
            out[i] = new int[s.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = s.get(i).get(j).asInt();
            }
        }
        return out;
    }

    /** Max |java - reference| over the real tokens of row r (left-padded to len), positions [from, to). */
    static double maxDiff(float[] logits, int row, int len, int v, int[] seq, JsonNode ref, int from, int to,
                          int rowOffsetTokens) {
        double max = 0;
        for (int t = from; t < to; t++) {
            int col = t - rowOffsetTokens;
            for (int k = 0; k < v; k++) {
                double java = logits[(row * len + col) * v + k];
                max = Math.max(max, Math.abs(java - ref.get(t).get(k).asDouble()));
            }
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "mistral"})
    void logitsMatchReferenceAloneAndLeftPadded(String name) throws Exception {
        Path dir = dir(name);
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        int[][] seqs = sequences(expected);
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> w = ModelWeights.load(m, cfg, dir, DataType.FLOAT32);
            Decoder dec = new Decoder(cfg, DataType.FLOAT32, m);
            int v = cfg.vocabSize();
            double worst = 0;
            for (int i = 0; i < seqs.length; i++) {
                Batch b = Batch.leftPadded(m, new int[][] {seqs[i]});
                float[] logits = dec.logits(w, dec.forward(w, null, false, b, null)).toFloatArray();
                worst = Math.max(worst, maxDiff(logits, 0, seqs[i].length, v, seqs[i],
                        expected.get("logits").get(i), 0, seqs[i].length, 0));
            }
            assertTrue(worst <= TOLERANCE, name + " unpadded max diff " + worst);
            Batch b = Batch.leftPadded(m, seqs);
            float[] logits = dec.logits(w, dec.forward(w, null, false, b, null)).toFloatArray();
            double padded = 0;
            for (int i = 0; i < seqs.length; i++) {
                int pad = b.paddedLength() - seqs[i].length;
                padded = Math.max(padded, maxDiff(logits, i, b.paddedLength(), v, seqs[i],
                        expected.get("logits").get(i), 0, seqs[i].length, -pad));
            }
            assertTrue(padded <= TOLERANCE, name + " left-padded max diff " + padded);
            System.out.printf("%s: max |logit diff| unpadded %.2e, left-padded batch %.2e%n", name, worst, padded);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "mistral"})
    void kvCacheDecodingMatchesReference(String name) throws Exception {
        Path dir = dir(name);
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        int[][] seqs = sequences(expected);
        int steps = 2;
        int[][] prefixes = new int[seqs.length][];
        int[] prefixLengths = new int[seqs.length];
        int len = 0;
        for (int i = 0; i < seqs.length; i++) {
            prefixes[i] = java.util.Arrays.copyOf(seqs[i], seqs[i].length - steps);
            prefixLengths[i] = prefixes[i].length;
            len = Math.max(len, prefixLengths[i]);
        }
        try (NDManager m = manager.newSubManager(); KvCache cache = new KvCache(m, cfg.numLayers(), len + steps)) {
            Map<String, NDArray> w = ModelWeights.load(m, cfg, dir, DataType.FLOAT32);
            Decoder dec = new Decoder(cfg, DataType.FLOAT32, m);
            int v = cfg.vocabSize();
            Batch pre = Batch.leftPadded(m, prefixes);
            float[] logits = dec.logits(w, dec.forward(w, null, false, pre, cache)).toFloatArray();
            double worst = 0;
            for (int i = 0; i < seqs.length; i++) {
                int pad = len - prefixes[i].length;
                worst = Math.max(worst, maxDiff(logits, i, len, v, seqs[i], expected.get("logits").get(i), 0,
                        prefixes[i].length, -pad));
            }
            NDArray keyMask = Batch.keyMask(m, prefixLengths, len, len + steps);
            for (int s = 0; s < steps; s++) {
                long[] tokens = new long[seqs.length];
                float[] positions = new float[seqs.length];
                for (int i = 0; i < seqs.length; i++) {
                    int t = prefixes[i].length + s;
                    tokens[i] = seqs[i][t];
                    positions[i] = t;
                }
                Batch step = Batch.decodeStep(m, tokens, positions, keyMask, len + s + 1);
                float[] stepLogits = dec.logits(w, dec.forward(w, null, false, step, cache)).toFloatArray();
                for (int i = 0; i < seqs.length; i++) {
                    int t = prefixes[i].length + s;
                    worst = Math.max(worst, maxDiff(stepLogits, i, 1, v, seqs[i], expected.get("logits").get(i),
                            t, t + 1, t));
                }
            }
            assertTrue(worst <= TOLERANCE, name + " kv-cache max diff " + worst);
            System.out.printf("%s: max |logit diff| with KV cache (left-padded prefill + %d steps) %.2e%n",
                    name, steps, worst);
        }
    }
}
