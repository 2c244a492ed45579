package org.prefopt.backends.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.OnnxExportOptions;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.TestCheckpoints;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.onnx.engine.OnnxRuntimeEngine;
import org.prefopt.backends.onnx.engine.KvCacheMode;
import org.prefopt.backends.onnx.engine.SyncMode;
import org.prefopt.backends.onnx.runtime.ExecutionDevice;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.onnx.export.BaseWeightsFingerprint;
import org.prefopt.backends.onnx.export.CacheLayout;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * The engine follows the policy through training: after every optimizer step (LoRA and full fine-tuning) the
 * log-probs it reports for its completions equal the policy's own scores of those tokens within 1e-4, and its greedy
 * tokens are the policy engine's. Bad models are refused with one error naming the file or the input.
 */
class OnnxRuntimeEngineTest {

    static final List<GenerationRequest> REQUESTS = List.of(new GenerationRequest("a", new int[] {1, 5, 9, 3}, 2),
            new GenerationRequest("b", new int[] {4, 8, 15, 16, 23}, 1));

    @TempDir
    Path tmp;

    /** Llama's test heads are 4 wide, so its engine keeps Optimum's cache; Qwen2's are 8 wide: in place. */
    @ParameterizedTest
    @CsvSource({"llama, true, SESSION, 3", "llama, false, SESSION, 3", "llama, true, INPUTS, 1",
            "llama, false, INPUTS, 1", "llama, true, ADAPTERS, 1", "llama, true, AUTO, 1", "llama, false, AUTO, 3",
            "qwen2, true, ADAPTERS, 1", "qwen2, false, SESSION, 3", "qwen2, false, INPUTS, 1"})
    void logProbsEqualThePolicysAfterEveryStep(String checkpoint, boolean lora, SyncMode sync, int sessions) {
        try (DjlPolicyModel p = lora ? TestCheckpoints.loraPolicy(checkpoint, 5e-2)
                : TestCheckpoints.policy(checkpoint.equals("llama") ? TestCheckpoints.llama()
                : TestCheckpoints.qwen2());
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, sync)) {
            trainThreeStepsFollowed(engine, p);
            // inputs and adapters follow the policy by feeding one session; session opens one per update
            assertEquals(sessions, engine.sessionsOpened());
            assertEquals(checkpoint.equals("qwen2") ? CacheLayout.IN_PLACE : CacheLayout.OPTIMUM,
                    engine.cacheLayout());
        }
    }

    @Test
    void anInPlaceCacheIsRefusedWhereItCannotServe() {
        try (DjlPolicyModel p = TestCheckpoints.policy(TestCheckpoints.llama());
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, SyncMode.AUTO, ExecutionDevice.CPU,
                     TensorDType.F32, KvCacheMode.IN_PLACE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
            assertEquals("engine.kv-cache = in-place: ONNX Runtime's GroupQueryAttention needs head_dim to be a"
                    + " multiple of 8, and the policy's is 4: use kv-cache = concat or auto", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxRuntimeEngine(1,
                null, SyncMode.AUTO, ExecutionDevice.CPU, TensorDType.F16, KvCacheMode.IN_PLACE));
        assertEquals("engine.kv-cache = in-place: in-place is built for float32 (dtype = float16 keeps Optimum's"
                + " layout): use kv-cache = concat or auto, or dtype = float32", e.getMessage());
    }

    @Test
    void concatKeepsOptimumsLayoutWhereInPlaceWouldServe() {
        try (DjlPolicyModel p = TestCheckpoints.policy(TestCheckpoints.qwen2());
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, SyncMode.AUTO, ExecutionDevice.CPU,
                     TensorDType.F32, KvCacheMode.CONCAT)) {
            trainThreeStepsFollowed(engine, p);
            assertEquals(CacheLayout.OPTIMUM, engine.cacheLayout());
        }
    }

    /**
     * Three optimizer steps; before each, the engine's greedy tokens are the policy engine's and its log-probs the
     * policy's scores of them within 1e-4, and they changed since the last step.
     */
    /** One optimizer step that raises the log-probs of {@code seqs} (gradient -1 on every completion token). */
    static void raiseLogprobs(DjlPolicyModel p, List<TokenSequence> seqs) {
        p.accumulateGradients(seqs, s -> {
            List<float[]> g = new ArrayList<>();
            for (SequenceScores x : s) {
                float[] a = new float[x.logprobs().length];
                Arrays.fill(a, -1f);
                g.add(a);
            }
            return new LossGradients(0, g, null);
        }, false);
        assertTrue(p.optimizerStep().applied(), "the optimizer step was not applied");
    }

    static void trainThreeStepsFollowed(OnnxRuntimeEngine engine, DjlPolicyModel p) {
        float[] before = null;
        for (int step = 0; step < 3; step++) {
            List<CompletionGroup> got = engine.generate(p, REQUESTS, SamplingParams.greedy(8));
            List<CompletionGroup> want = p.generate(REQUESTS, SamplingParams.greedy(8));
            List<TokenSequence> seqs = new ArrayList<>();
            List<float[]> engineLogprobs = new ArrayList<>();
            for (int i = 0; i < got.size(); i++) {
                for (int j = 0; j < got.get(i).completions().size(); j++) {
                    Completion c = got.get(i).completions().get(j);
                    assertArrayEquals(want.get(i).completions().get(j).tokens(), c.tokens(), "step " + step);
                    seqs.add(new TokenSequence(got.get(i).promptTokens(), c.tokens()));
                    engineLogprobs.add(c.logprobs());
                }
            }
            List<SequenceScores> scores = p.score(seqs, ScoringMode.POLICY, false);
            for (int k = 0; k < seqs.size(); k++) {
                assertArrayEquals(scores.get(k).logprobs(), engineLogprobs.get(k), 1e-4f, "step " + step);
            }
            if (before != null) {
                assertFalse(Arrays.equals(before, engineLogprobs.get(0)), "the engine took the new weights");
            }
            before = engineLogprobs.get(0);
            raiseLogprobs(p, seqs);
        }
    }

    /**
     * The engine's own float16 export follows a LoRA policy through three steps: greedy tokens mostly the policy
     * engine's, log-probs within 2e-2 of the policy's float32 scores (the float16 rounding bound of
     * OnnxExportTest) and not equal to them (the mismatch GRPO's engine/logprob_abs_diff reports).
     */
    @ParameterizedTest
    @CsvSource({"AUTO, 1", "INPUTS, 1", "SESSION, 3"})
    void float16EngineFollowsTheLoraPolicyWithinFloat16Precision(SyncMode sync, int sessions) {
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2);
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, sync, ExecutionDevice.CPU,
                     TensorDType.F16)) {
            int same = 0;
            int total = 0;
            double worst = 0;
            for (int step = 0; step < 3; step++) {
                List<CompletionGroup> got = engine.generate(p, REQUESTS, SamplingParams.greedy(8));
                List<CompletionGroup> want = p.generate(REQUESTS, SamplingParams.greedy(8));
                List<TokenSequence> seqs = new ArrayList<>();
                List<float[]> engineLogprobs = new ArrayList<>();
                for (int i = 0; i < got.size(); i++) {
                    for (int j = 0; j < got.get(i).completions().size(); j++) {
                        Completion c = got.get(i).completions().get(j);
                        int[] w = want.get(i).completions().get(j).tokens();
                        for (int t = 0; t < Math.min(w.length, c.tokens().length); t++) {
                            same += w[t] == c.tokens()[t] ? 1 : 0;
                            total++;
                        }
                        seqs.add(new TokenSequence(got.get(i).promptTokens(), c.tokens()));
                        engineLogprobs.add(c.logprobs());
                    }
                }
                List<SequenceScores> scores = p.score(seqs, ScoringMode.POLICY, false);
                for (int k = 0; k < seqs.size(); k++) {
                    float[] a = scores.get(k).logprobs();
                    for (int t = 0; t < a.length; t++) {
                        worst = Math.max(worst, Math.abs(a[t] - engineLogprobs.get(k)[t]));
                    }
                }
                raiseLogprobs(p, seqs);
            }
            assertTrue(worst < 2e-2 && worst > 1e-6, "float16 engine vs policy log-probs: " + worst);
            assertTrue(same >= 0.9 * total, same + " of " + total + " greedy tokens equal");
            assertEquals(sessions, engine.sessionsOpened());
        }
    }

    @Test
    void aReferenceResetThatMergesTheAdaptersOpensOneNewSession() {
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2);
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, SyncMode.ADAPTERS)) {
            trainThreeStepsFollowed(engine, p);
            p.resetReference(); // the adapters go into the base weights: the session's initializers are stale
            trainThreeStepsFollowed(engine, p);
            assertEquals(2, engine.sessionsOpened());
        }
    }

    @Test
    void anExportWithLoraInputsIsFedTheRunsAdapters() {
        Path dir = tmp.resolve("lora-inputs");
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2);
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
            p.exportOnnx(dir, OnnxExport.Storage.AUTO, new OnnxExportOptions(true, false));
            assertTrue(Files.isRegularFile(dir.resolve("adapter_model.safetensors")), "the adapter's values");
            try (OnnxDecoderSession s = OnnxDecoderSession.open(dir, 1)) {
                assertEquals(p.exporter().adapterKeys(), s.extraInputs());
                assertTrue(s.extraInputs().contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
            }
            trainThreeStepsFollowed(engine, p);
            assertEquals(1, engine.sessionsOpened());
        }
    }

    @Test
    void anExportWithLoraInputsOverAnotherBaseIsRefused() {
        Path dir = tmp.resolve("old-base");
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2)) {
            p.exportOnnx(dir, OnnxExport.Storage.AUTO, new OnnxExportOptions(true, false));
            try (OnnxDecoderSession s = OnnxDecoderSession.open(dir, 1)) {
                assertEquals(BaseWeightsFingerprint.of(p.exporter().baseTensors(TensorDType.F32)),
                        s.customMetadata().get(BaseWeightsFingerprint.METADATA_KEY));
            }
            // the engine opened before the base changes follows the adapters, then refuses the changed base
            try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
                trainThreeStepsFollowed(engine, p);
                p.resetReference(); // the adapters go into the base weights
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
                assertEquals(dir.resolve("model.onnx") + ": the policy's base weights changed (a reference reset or a"
                        + " loaded checkpoint merged the adapters into them), but this export carries the base it was"
                        + " exported with, and only the adapters are fed; leave engine.path empty to let the engine"
                        + " export the policy itself after such changes", e.getMessage());
            }
            // a new engine over the old export: the policy's base is no longer the one in the graph
            try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
                assertTrue(e.getMessage().startsWith(dir.resolve("model.onnx") + ": the export's base weights are not"
                        + " those of policy '" + p.info().name() + "' (prefopt.base_weights_sha256 "), e.getMessage());
                assertTrue(e.getMessage().contains("prefopt.base_weights_sha256 "), e.getMessage());
                assertTrue(e.getMessage().endsWith("): it was exported from another checkpoint or base model, so the"
                        + " run's adapters would be applied to the wrong weights; export this run's policy with"
                        + " `prefopt export --format onnx --lora-inputs`, or leave engine.path empty to let the engine"
                        + " export the policy itself"), e.getMessage());
            }
        }
    }

    @Test
    void anExportMissingTheRunsAdaptersIsNamedWithTheKeys() {
        Path dir = tmp.resolve("q-only");
        try (DjlPolicyModel qOnly = TestCheckpoints.loraPolicy("llama", 5e-2, List.of("q_proj"))) {
            qOnly.exportOnnx(dir, OnnxExport.Storage.AUTO, new OnnxExportOptions(true, false));
        }
        // the run trains q, v, o and down_proj adapters; the export carries q_proj's only
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2);
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
            assertTrue(e.getMessage().startsWith(dir.resolve("model.onnx") + ": the run trains LoRA adapters the"
                    + " export does not carry; the graph has no input [base_model.model.model.layers.0.mlp.down_proj"
                    + ".lora_A.weight, base_model.model.model.layers.0.mlp.down_proj.lora_B.weight, "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; export this run's policy again with `prefopt export --format onnx"
                    + " --lora-inputs` (same lora.target-modules), or leave engine.path empty to let the engine export"
                    + " the policy itself"), e.getMessage());
            assertFalse(e.getMessage().contains("q_proj"), "q_proj's inputs are there: " + e.getMessage());
        }
    }

    @Test
    void aMergedExportIsRefusedWhenTheRunAsksToSyncAdapters() {
        Path dir = tmp.resolve("merged");
        try (DjlPolicyModel p = TestCheckpoints.loraPolicy("llama", 5e-2)) {
            p.exportOnnx(dir, OnnxExport.Storage.AUTO);
            try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.ADAPTERS)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
                assertEquals(dir.resolve("model.onnx") + ": engine.sync = adapters, but the graph has no LoRA adapter"
                        + " inputs (a merged export) and the run trains 16 adapter matrices, such as"
                        + " 'base_model.model.model.layers.0.mlp.down_proj.lora_A.weight'; export the policy with"
                        + " `prefopt export --format onnx --lora-inputs`, or leave engine.path empty to let the"
                        + " engine export the policy itself", e.getMessage());
            }
            // without sync = adapters the merged export is a fixed model to evaluate, until the policy is updated
            try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
                assertEquals(2, engine.generate(p, REQUESTS, SamplingParams.greedy(2)).size());
                assertEquals(2, engine.generate(p, REQUESTS, SamplingParams.greedy(2)).size());
                p.accumulateGradients(List.of(new TokenSequence(new int[] {1, 5}, new int[] {9, 3})),
                        s -> new LossGradients(0, List.of(new float[] {-1f, -1f}), null), false);
                assertTrue(p.optimizerStep().applied());
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
                assertEquals(dir.resolve("model.onnx") + ": the policy's weights changed (an optimizer step) but this"
                        + " export is fixed (no LoRA adapter inputs), so the engine would keep generating with the"
                        + " exported weights; export the policy with `prefopt export --format onnx --lora-inputs` to"
                        + " feed it the adapters, or leave engine.path empty to let the engine export the policy"
                        + " itself", e.getMessage());
            }
        }
    }

    @Test
    void adaptersNeedALoraPolicy() {
        try (DjlPolicyModel p = TestCheckpoints.policy(TestCheckpoints.llama());
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, SyncMode.ADAPTERS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
            assertTrue(e.getMessage().startsWith("engine.sync = adapters feeds the policy's LoRA adapters, but"
                    + " policy '"), e.getMessage());
        }
    }

    @Test
    void cudaWithTheCpuBuildNamesTheProfile() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionDevice.parse("gpu"));
        assertEquals(new ExecutionDevice(1), ExecutionDevice.parse("cuda:1"));
        try (DjlPolicyModel p = TestCheckpoints.policy(TestCheckpoints.llama());
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, null, SyncMode.AUTO, ExecutionDevice.parse("cuda:0"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(p, REQUESTS, SamplingParams.greedy(2)));
            assertTrue(e.getMessage().startsWith("device cuda:0 needs ONNX Runtime's CUDA execution provider, which"
                    + " this build does not have (providers: [CPU]): build prefopt with the Maven profile -Pcuda"),
                    e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotOnnxIsNamed() throws IOException {
        Path bad = Files.writeString(tmp.resolve("model.onnx"), "not a model");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxDecoderSession.open(tmp, 1));
        assertTrue(e.getMessage().startsWith(bad + " is not an ONNX model ONNX Runtime can load"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OnnxDecoderSession.open(tmp.resolve("elsewhere"), 1));
        assertTrue(none.getMessage().startsWith("no ONNX model at "), none.getMessage());
    }

    @Test
    void aGraphWithoutTheDecoderInputsIsNamed() throws IOException {
        // a valid ONNX model (Identity from input_ids to logits) that is not a decoder with a cache
        var type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.INT64_VALUE)).build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(GraphProto.newBuilder().setName("g")
                        .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("input_ids").addOutput("logits"))
                        .addInput(ValueInfoProto.newBuilder().setName("input_ids").setType(type))
                        .addOutput(ValueInfoProto.newBuilder().setName("logits").setType(type)))
                .build();
        Path file = tmp.resolve("plain.onnx");
        Files.write(file, model.toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxDecoderSession.open(file, 1));
        assertEquals(file + ": the graph has no input 'attention_mask' (inputs: [input_ids]); the engine runs"
                + " decoders exported as Optimum's text-generation-with-past (prefopt export --format onnx writes"
                + " one)", e.getMessage());
    }

    @Test
    void aVocabularyUnlikeThePolicysIsNamed() {
        // the Qwen2 export has 32 rows; the tiny preset sizes itself to its character tokenizer
        Path dir = OnnxExportTest.export("qwen2", tmp.resolve("qwen2"), OnnxExport.Storage.AUTO);
        try (DjlPolicyModel p = TestCheckpoints.tinyPolicy();
             OnnxRuntimeEngine engine = new OnnxRuntimeEngine(1, dir, SyncMode.AUTO)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.generate(p, List.of(new GenerationRequest("a", new int[] {3, 4}, 1)),
                            SamplingParams.greedy(2)));
            assertEquals(dir.resolve("model.onnx") + ": the model's vocabulary has 32 rows but the policy's tokenizer"
                    + " and config.json have " + p.config().vocabSize() + "; export the model with the tokenizer it is"
                    + " evaluated with", e.getMessage());
        }
    }
}
