package org.prefopt.backends.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prefopt.api.model.OnnxExportOptions;
import org.prefopt.backends.djl.TestCheckpoints;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.onnx.runtime.KvState;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * The exported graph run by ONNX Runtime Java against the float64 logits of {@code reference_logits.py} (an
 * independent PyTorch implementation of transformers' Llama/Qwen2): token by token through the KV cache, and as one
 * left-padded batch prefill, so the cache, the mask and the position ids are all exercised.
 */
class OnnxExportTest {

    @TempDir
    Path tmp;

    static Path checkpoint(String name) {
        return name.equals("llama") ? TestCheckpoints.llama() : TestCheckpoints.qwen2();
    }

    static Path export(String name, Path out, OnnxExport.Storage storage) {
        try (DjlPolicyModel p = TestCheckpoints.policy(checkpoint(name))) {
            p.exportOnnx(out, storage);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void tokenByTokenThroughTheCacheMatchesTheFloat64Reference(String name) throws IOException {
        // kept under target/ for the independent check with onnxruntime-node (src/test/node/check_onnx_export.mjs)
        Path dir = export(name, Path.of("target", "onnx-exports", name), OnnxExport.Storage.AUTO);
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
        assertFalse(Files.exists(dir.resolve(OnnxNames.DATA_FILE)));
        double worst = worstThroughTheCache(dir, checkpoint(name));
        assertTrue(worst < 1e-4, name + ": log-probs differ from the float64 reference by " + worst);
    }

    /**
     * Feeds each reference sequence of {@code checkpoint}'s expected.json token by token through the export's cache and
     * returns the largest log-prob difference from the float64 reference at any position.
     */
    static double worstThroughTheCache(Path dir, Path checkpoint) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(checkpoint.resolve("expected.json").toFile());
        double worst = 0;
        try (OnnxDecoderSession s = OnnxDecoderSession.open(dir, 1)) {
            for (int i = 0; i < expected.get("sequences").size(); i++) {
                JsonNode seq = expected.get("sequences").get(i);
                KvState cache = s.emptyCache(1);
                for (int t = 0; t < seq.size(); t++) {
                    long[] mask = new long[t + 1];
                    Arrays.fill(mask, 1);
                    var out = s.step(new long[] {seq.get(t).asLong()}, mask, new long[] {t}, 1, 1, cache);
                    cache = out.cache();
                    worst = Math.max(worst, maxLogProbDiff(expected.get("logits").get(i).get(t), out.logits()));
                }
                assertEquals(seq.size(), cache.length());
                cache.close();
            }
        }
        return worst;
    }

    /**
     * Float16 weights, caches and logits: each weight is rounded to 11 significant bits (relative error 2^-11), each
     * cached key and value too, and the logits (of magnitude about 3 here: absolute error below 1e-3); through two
     * layers of these random models that moved log-probs by up to 4.9e-3 (Llama) and 1.4e-2 (Qwen2, measured with
     * onnxruntime-node too), so 2e-2 bounds it, while a wrong graph (a missing cast, a swapped cache) is off by
     * tenths or more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void float16ExportMatchesTheFloat64ReferenceWithinItsPrecision(String name) throws IOException {
        Path dir = Path.of("target", "onnx-exports", name + "-float16");
        try (DjlPolicyModel p = TestCheckpoints.policy(checkpoint(name))) {
            p.exportOnnx(dir, OnnxExport.Storage.AUTO, new OnnxExportOptions(false, true));
        }
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"float16\""));
        double worst = worstThroughTheCache(dir, checkpoint(name));
        assertTrue(worst < 2e-2, name + ": float16 log-probs differ from the float64 reference by " + worst);
        // float16 rounding is visible: the export is not float32 under another name
        assertTrue(worst > 1e-6, name + ": " + worst);
    }

    static double maxLogProbDiff(JsonNode expected, float[] actual) {
        int v = expected.size();
        double[] e = new double[v];
        double[] a = new double[v];
        for (int j = 0; j < v; j++) {
            e[j] = expected.get(j).asDouble();
            a[j] = actual[j];
        }
        double[] le = logSoftmax(e);
        double[] la = logSoftmax(a);
        double worst = 0;
        for (int j = 0; j < v; j++) {
            worst = Math.max(worst, Math.abs(le[j] - la[j]));
        }
        return worst;
    }

    @Test
    void leftPaddedBatchPrefillAndExternalDataMatchTheReference() throws IOException {
        Path dir = export("qwen2", tmp.resolve("ext"), OnnxExport.Storage.EXTERNAL);
        assertTrue(Files.size(dir.resolve(OnnxNames.DATA_FILE)) > 0);
        JsonNode expected = new ObjectMapper().readTree(checkpoint("qwen2").resolve("expected.json").toFile());
        int rows = expected.get("sequences").size();
        int len = 0;
        for (JsonNode s : expected.get("sequences")) {
            len = Math.max(len, s.size());
        }
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] pos = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            JsonNode s = expected.get("sequences").get(r);
            int pad = len - s.size();
            for (int i = 0; i < s.size(); i++) {
                ids[r * len + pad + i] = s.get(i).asLong();
                mask[r * len + pad + i] = 1;
                pos[r * len + pad + i] = i;
            }
        }
        try (OnnxDecoderSession s = OnnxDecoderSession.open(dir, 1)) {
            var out = s.step(ids, mask, pos, rows, len, s.emptyCache(rows));
            for (int r = 0; r < rows; r++) {
                JsonNode logits = expected.get("logits").get(r);
                assertLogProbsClose(logits.get(logits.size() - 1), out.logits(), r * s.vocab(), 1e-4, "row " + r);
            }
            out.cache().close();
        }
    }

    /** Compares log-softmax of float64 {@code expected} with log-softmax of {@code actual[from..from+vocab)}. */
    static void assertLogProbsClose(JsonNode expected, float[] actual, int from, double tol, String what) {
        int v = expected.size();
        double[] e = new double[v];
        double[] a = new double[v];
        for (int j = 0; j < v; j++) {
            e[j] = expected.get(j).asDouble();
            a[j] = actual[from + j];
        }
        double[] le = logSoftmax(e);
        double[] la = logSoftmax(a);
        for (int j = 0; j < v; j++) {
            assertEquals(le[j], la[j], tol, what + " token " + j);
        }
    }

    static double[] logSoftmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double sum = 0;
        for (double d : x) {
            sum += Math.exp(d - max);
        }
        double lse = max + Math.log(sum);
        return Arrays.stream(x).map(d -> d - lse).toArray();
    }
}
