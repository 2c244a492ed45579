package org.prefopt.backends.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prefopt.backends.djl.PolicyDiagnostics.gradient;
import static org.prefopt.backends.djl.PolicyDiagnostics.trainableNames;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.policy.Policies;
import org.prefopt.backends.djl.policy.PolicySettings;
import org.prefopt.backends.djl.training.LossScaleSettings;
import org.prefopt.backends.djl.training.LrSchedule;
import org.prefopt.backends.djl.training.OptimizerSettings;
import org.prefopt.backends.djl.training.PolicyTrainer;

/**
 * float16 mixed-precision training on CPU: float16 base and activations, float32 adapters / masters, norms, softmax
 * and loss, with dynamic loss scaling.
 */
class Float16TrainingTest {

    private static final DjlBackend F16 = new DjlBackend("cpu", "float16", 2);

    static final List<TokenSequence> BATCH = List.of(
            new TokenSequence(new int[] {1, 5, 9}, new int[] {3, 7, 11, 2}),
            new TokenSequence(new int[] {4, 8, 15, 16, 23}, new int[] {13, 6, 2}));

    @AfterAll
    static void close() {
        F16.close();
    }

    /**
     * 2^12: the per-token loss gradients of this 32-token random model are large (about 1/7 each), and at PyTorch's
     * 2^16 its float16 activation gradients overflow, so the scaler would skip the step
     * ({@link #theDefaultScaleOverflowsOnThisModelAndBacksOff}). The scale is a power of two: below overflow it
     * changes no rounding, so the comparisons hold at any such scale (measured the same from 1 to 2^12).
     */
    private static final LossScaleSettings CLEAN = new LossScaleSettings(4096, 2.0, 0.5, 2000);

    private static DjlPolicyModel policy(DjlCompute compute, LoraSettings lora, LossScaleSettings scale) {
        return policy(compute, lora, scale, 0, false);
    }

    private static DjlPolicyModel policy(DjlCompute compute, LoraSettings lora, LossScaleSettings scale,
                                         int logitsChunkTokens, boolean gradientCheckpointing) {
        PolicySettings s = new PolicySettings(new OptimizerSettings(1e-2, 0.01, 0.9, 0.999, 1e-8, 1.0,
                new LrSchedule("constant", 0, 0)), lora, null, 7, logitsChunkTokens, gradientCheckpointing, true,
                scale);
        return Policies.fromCheckpoint(compute, Fixtures.checkpoint("llama"), new TestTokenizer(), s);
    }

    /** The same random values (B no longer zero, so every adapter gets a gradient) in both policies' adapters. */
    private static void randomiseAdapters(DjlPolicyModel... policies) {
        JniUtils.setGradMode(false);
        for (DjlPolicyModel p : policies) {
            Random r = new Random(11);
            for (NDArray a : p.weights().trainable().values()) {
                float[] v = new float[Math.toIntExact(a.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.3);
                }
                try (NDManager m = p.weights().manager().newSubManager()) {
                    NdTensors.copyInto(a, NdTensors.owned(m.create(v, a.getShape())));
                }
            }
        }
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * A LoRA step's loss and every adapter gradient under float16 agree with float32 from the same weights and batch.
     *
     * <p>Tolerances: float16's unit roundoff is u = 2^-11 ~ 4.9e-4. The base weights are rounded once (relative
     * error <= u each) and every float16 op rounds its result once more; along the longest path of this 2-layer model
     * (embedding, per layer: norm output, q/k/v, scores, probs, attention output, o_proj, residual, norm, gate/up,
     * SiLU product, down_proj, residual; then final norm and head) a value passes about n = 30 roundings forward and
     * as many backward. The first-order bound n·u ~ 1.5e-2 per direction is the worst case with every rounding
     * aligned; independent roundings grow like sqrt(n)·u ~ 3e-3. The loss (float32 log-softmax of float16 logits, only
     * the forward direction) is checked at 5e-3 relative (measured 2e-5); each gradient tensor norm-wise,
     * |g16 - g32| / |g32| <= 3e-2, the two directions' first-order bounds added (measured at most 6.6e-3 under LoRA,
     * 8.8e-3 under full fine-tuning, whose gradients are float16 themselves). A wrong gradient (a cut graph, a missed
     * unscale) is off by O(1) or by the scale.
     */
    @Test
    void loraStepUnderFloat16AgreesWithFloat32() {
        try (DjlPolicyModel f32 = policy(Fixtures.backend(), Fixtures.lora(), CLEAN);
             DjlPolicyModel f16 = policy(F16, Fixtures.lora(), CLEAN)) {
            assertEquals(DataType.FLOAT16, f16.weights().base().get("model.layers.0.self_attn.q_proj.weight")
                    .getDataType());
            randomiseAdapters(f32, f16);
            double l32 = f32.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false).loss();
            double l16 = f16.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false).loss();
            assertEquals(l32, l16, 5e-3 * Math.abs(l32), "loss f32 " + l32 + " vs f16 " + l16);
            double scale = f16.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE);
            assertEquals(4096.0, scale);
            double worst = 0;
            for (String name : trainableNames(f32)) {
                float[] g32 = gradient(f32, name);
                float[] g16 = gradient(f16, name); // float32 adapters: .grad is float32, carrying the scale
                int bad = 0;
                for (float x : g16) {
                    bad += Float.isFinite(x) ? 0 : 1;
                }
                assertEquals(0, bad, name + ": non-finite float16 gradients at scale " + scale);
                float[] d = new float[g32.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (g16[i] / scale - g32[i]);
                }
                assertTrue(norm(g32) > 1e-6, name + " has no gradient in float32");
                double rel = norm(d) / norm(g32);
                worst = Math.max(worst, rel);
                assertTrue(rel <= 3e-2, name + ": relative gradient difference " + rel);
            }
            System.out.printf("float16 vs float32 LoRA step: loss %.6g vs %.6g (rel %.2e), worst gradient rel diff"
                    + " %.2e%n", l16, l32, Math.abs(l16 - l32) / Math.abs(l32), worst);
            OptimizerStepResult r = f16.optimizerStep();
            assertTrue(r.applied(), "a clean float16 step is applied");
            assertEquals(f32.optimizerStep().gradNorm(), r.gradNorm(), 3e-2 * r.gradNorm(), "unscaled grad norm");
        }
    }

    /**
     * float32 masters of full fine-tuning: the float16 weights the forward pass reads are the masters rounded, and the
     * first step (Adam's first update is about lr·sign(g) per weight) lands where float32's does, except where a
     * gradient near zero changes sign under float16 rounding.
     */
    @Test
    void fullFineTuningStepsTheFloat32MastersAndRefreshesTheFloat16Weights(@TempDir Path tmp) {
        try (DjlPolicyModel f32 = policy(Fixtures.backend(), null, CLEAN);
             DjlPolicyModel f16 = policy(F16, null, CLEAN)) {
            for (DjlPolicyModel p : List.of(f32, f16)) {
                p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
                assertTrue(p.optimizerStep().applied());
            }
            JniUtils.setGradMode(false);
            f16.saveTrainingState(tmp.resolve("state"));
            String w = "model.layers.1.mlp.down_proj.weight";
            NDArray working = f16.weights().trainable().get(w);
            assertEquals(DataType.FLOAT16, working.getDataType());
            float[] master;
            try (var f = org.prefopt.backends.safetensors.SafetensorsFile.open(
                    tmp.resolve("state/trainable.safetensors"));
                 NDManager m = f16.weights().manager().newSubManager()) {
                NDArray mst = NdTensors.toNd(m, f.read(w), DataType.FLOAT32);
                master = mst.toFloatArray();
                assertArrayEquals(mst.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray(),
                        working.toType(DataType.FLOAT32, false).toFloatArray(), "working copy = rounded master");
            }
            float[] a = f32.weights().trainable().get(w).toFloatArray();
            int close = 0;
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - master[i]) < 1e-3) { // a tenth of the step, above float16 rounding of the start
                    close++;
                }
            }
            assertTrue(close >= 0.9 * a.length, close + " of " + a.length + " weights where float32's step put them");
        }
    }

    private static Map<String, float[]> snapshot(DjlPolicyModel p) {
        JniUtils.setGradMode(false);
        Map<String, float[]> out = new LinkedHashMap<>();
        p.weights().trainable().forEach((k, v) -> out.put("w." + k, v.toType(DataType.FLOAT32, false)
                .toFloatArray()));
        return out;
    }

    /** A forced overflow (scale 2^126: the float16 gradients are inf) skips the step and halves the scale. */
    @Test
    void anOverflowSkipsTheStepLeavesWeightsAndMomentsUntouchedAndHalvesTheScale() {
        for (LoraSettings lora : new LoraSettings[] {Fixtures.lora(), null}) {
            double initial = Math.scalb(1.0, 126);
            try (DjlPolicyModel p = policy(F16, lora, new LossScaleSettings(initial, 2.0, 0.5, 2000))) {
                Map<String, float[]> before = snapshot(p);
                double loss = p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false).loss();
                assertTrue(Double.isFinite(loss), "the loss itself is computed in float32 and stays finite");
                OptimizerStepResult r = p.optimizerStep();
                assertFalse(r.applied());
                assertTrue(r.overflow(), "skipped by the scaler, not a failure");
                Map<String, float[]> after = snapshot(p);
                for (String k : before.keySet()) {
                    assertArrayEquals(before.get(k), after.get(k), k + " changed on a skipped step");
                }
                Map<String, Double> m = p.optimizerMetrics();
                assertEquals(initial / 2, m.get(PolicyTrainer.LOSS_SCALE));
                assertEquals(1.0, m.get(PolicyTrainer.SKIPPED_STEPS));
                assertTrue(p.weights().trainable().values().stream().allMatch(a -> {
                    NDArray g = a.getGradient();
                    try {
                        return g.abs().max().toType(DataType.FLOAT32, false).getFloat() == 0f;
                    } finally {
                        g.close();
                    }
                }), "gradients cleared");
            }
        }
    }

    /** The AdamW moments stay bit for bit on a skipped step after a clean one (they are non-zero then). */
    @Test
    void aSkippedStepLeavesNonZeroMomentsBitForBit(@TempDir Path tmp) {
        try (DjlPolicyModel p = policy(F16, Fixtures.lora(), new LossScaleSettings(1024, 2.0, 0.5, 2000))) {
            randomiseAdapters(p);
            p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
            assertTrue(p.optimizerStep().applied());
            p.saveTrainingState(tmp.resolve("a"));
            // an injected inf in one adapter gradient: the same path as an overflow
            p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
            JniUtils.setGradMode(false);
            NDArray g = p.weights().trainable().values().iterator().next().getGradient();
            try (NDArray inf = g.getManager().full(g.getShape(), Float.POSITIVE_INFINITY, g.getDataType())) {
                g.addi(inf);
            }
            g.close();
            OptimizerStepResult r = p.optimizerStep();
            assertTrue(r.overflow());
            p.saveTrainingState(tmp.resolve("b"));
            assertSameTensors(tmp.resolve("a/trainable.safetensors"), tmp.resolve("b/trainable.safetensors"));
            assertSameTensors(tmp.resolve("a/optimizer.safetensors"), tmp.resolve("b/optimizer.safetensors"));
            assertEquals(512.0, p.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE));
        }
    }

    private static void assertSameTensors(Path a, Path b) {
        try (var fa = org.prefopt.backends.safetensors.SafetensorsFile.open(a);
             var fb = org.prefopt.backends.safetensors.SafetensorsFile.open(b)) {
            assertEquals(fa.tensors().keySet(), fb.tensors().keySet());
            for (String k : fa.tensors().keySet()) {
                assertEquals(fa.read(k).data(), fb.read(k).data(), k + " differs");
            }
        }
    }

    /** growth-interval clean steps in a row double the scale; the tracker survives save and resume. */
    @Test
    void theScaleGrowsAfterCleanStepsAndResumesWithItsTracker(@TempDir Path tmp) {
        LossScaleSettings s = new LossScaleSettings(1024, 2.0, 0.5, 3);
        try (DjlPolicyModel p = policy(F16, Fixtures.lora(), s); DjlPolicyModel q = policy(F16, Fixtures.lora(), s)) {
            double[] expected = {1024, 1024, 2048, 2048};
            for (int i = 0; i < 4; i++) {
                p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
                assertTrue(p.optimizerStep().applied(), "step " + i);
                assertEquals(expected[i], p.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE), "after step " + i);
            }
            p.saveTrainingState(tmp.resolve("state")); // tracker 1 of 3 at scale 2048
            q.loadTrainingState(tmp.resolve("state"));
            assertEquals(p.optimizerMetrics(), q.optimizerMetrics());
            for (int i = 0; i < 2; i++) {
                for (DjlPolicyModel m : List.of(p, q)) {
                    m.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
                    assertTrue(m.optimizerStep().applied());
                }
            }
            // two more clean steps complete the interval in both: the resumed tracker was 1, not 0
            assertEquals(4096.0, q.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE));
            assertEquals(snapshot(p).keySet(), snapshot(q).keySet());
            snapshot(p).forEach((k, v) -> assertArrayEquals(v, snapshot(q).get(k), k));
        }
    }

    /** Full fine-tuning saves the float32 masters, not the rounded float16 weights, and resumes them exactly. */
    @Test
    void fullFineTuningResumesFromTheFloat32Masters(@TempDir Path tmp) {
        try (DjlPolicyModel p = policy(F16, null, CLEAN); DjlPolicyModel q = policy(F16, null, CLEAN)) {
            p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
            assertTrue(p.optimizerStep().applied());
            p.saveTrainingState(tmp.resolve("state"));
            try (var f = org.prefopt.backends.safetensors.SafetensorsFile.open(
                    tmp.resolve("state/trainable.safetensors"))) {
                assertEquals(org.prefopt.backends.safetensors.TensorDType.F32,
                        f.tensors().get("model.norm.weight").dtype());
            }
            q.loadTrainingState(tmp.resolve("state"));
            for (DjlPolicyModel m : List.of(p, q)) {
                m.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
                assertTrue(m.optimizerStep().applied());
            }
            snapshot(p).forEach((k, v) -> assertArrayEquals(v, snapshot(q).get(k), k));
        }
    }

    /** PyTorch's 2^16 overflows this model's float16 gradients: the scaler skips, halves, and the next step applies. */
    @Test
    void theDefaultScaleOverflowsOnThisModelAndBacksOff() {
        try (DjlPolicyModel p = policy(F16, null, LossScaleSettings.DEFAULTS)) {
            p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
            OptimizerStepResult first = p.optimizerStep();
            assertTrue(first.overflow(), "2^16 overflows here");
            double scale = p.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE);
            int skips = 1;
            while (true) {
                p.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false);
                OptimizerStepResult r = p.optimizerStep();
                if (r.applied()) {
                    break;
                }
                assertTrue(r.overflow() && ++skips < 8, "backs off until the gradients fit");
                assertEquals(scale / 2, p.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE));
                scale /= 2;
            }
            assertEquals(scale, p.optimizerMetrics().get(PolicyTrainer.LOSS_SCALE), "a clean step keeps the scale");
            assertEquals((double) skips, p.optimizerMetrics().get(PolicyTrainer.SKIPPED_STEPS));
            System.out.printf("default scale 2^16 on the llama fixture: %d skipped step(s), then scale %.0f%n", skips,
                    scale);
        }
    }

    /**
     * The memory-saving paths under float16: gradient checkpointing re-runs each layer from its float16 input, and
     * chunked logits recompute the float32 log-softmax per chunk; the gradients are those of the plain path (the
     * same float16 ops on the same values, summed in another order: 1e-3 of the norm).
     */
    @Test
    void gradientCheckpointingAndChunkedLogitsTrainUnderFloat16() {
        for (LoraSettings lora : new LoraSettings[] {Fixtures.lora(), null}) {
            try (DjlPolicyModel plain = policy(F16, lora, CLEAN);
                 DjlPolicyModel saving = policy(F16, lora, CLEAN, 2, true)) {
                if (lora != null) {
                    randomiseAdapters(plain, saving);
                }
                double a = plain.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false).loss();
                double b = saving.accumulateGradients(BATCH, PolicyTrainingTest.SFT, false).loss();
                assertEquals(a, b, 1e-6 * Math.abs(a));
                for (String name : trainableNames(plain)) {
                    float[] g = gradient(plain, name);
                    float[] h = gradient(saving, name);
                    float[] d = new float[g.length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = g[i] - h[i];
                    }
                    assertTrue(norm(g) > 0, name + " got no gradient");
                    assertTrue(norm(d) <= 1e-3 * norm(g), name + ": " + norm(d) / norm(g));
                }
            }
        }
    }
}
