package org.prefopt.backends.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.backends.djl.TestCheckpoints;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.onnx.export.CacheLayout;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.onnx.generation.OnnxGenerator;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;

/**
 * The ONNX Runtime engine generates what the policy engine generates: the same tokens, log-probs within 1e-4 and
 * the same stop reasons, greedy and seeded sampling (the sampler and its random stream are shared), with groups
 * sharing a prefill, prompts of different lengths, stop strings and rows leaving the batch as they finish.
 */
class OnnxGenerationTest {

    static final List<GenerationRequest> REQUESTS = List.of(
            new GenerationRequest("a", new int[] {1, 5, 9, 3, 7}, 3),
            new GenerationRequest("b", new int[] {4, 8}, 2),
            new GenerationRequest("c", new int[] {30, 0, 12, 27, 6, 11, 19}, 4));

    @TempDir
    Path tmp;

    /**
     * Optimum's layout through files, the in-place cache through the engine's in-memory export (Qwen2's test heads
     * and the tiny preset's are a multiple of 8 wide, as GroupQueryAttention needs; Llama's test heads are 4).
     */
    @ParameterizedTest
    @CsvSource({"llama, OPTIMUM", "qwen2, OPTIMUM", "qwen2, IN_PLACE", "tiny, IN_PLACE"})
    void sameTokensLogProbsAndStopReasonsAsThePolicyEngine(String name, CacheLayout layout) {
        try (DjlPolicyModel policy = name.equals("tiny") ? TestCheckpoints.tinyPolicy()
                : TestCheckpoints.policy(OnnxExportTest.checkpoint(name));
             OnnxDecoderSession session = layout == CacheLayout.OPTIMUM
                     ? OnnxDecoderSession.open(OnnxExportTest.export(name, tmp.resolve(name),
                             OnnxExport.Storage.AUTO), 1)
                     : OnnxDecoderSession.of(OnnxExport.bytes(policy.config(),
                             policy.exporter().mergedTensors(TensorDType.F32), false, null, layout), name, 1)) {
            assertEquals(layout == CacheLayout.IN_PLACE, session.hasInPlaceCache());
            OnnxGenerator engine = new OnnxGenerator(session, TestCheckpoints.backend().manager());
            for (SamplingParams params : List.of(SamplingParams.greedy(12),
                    new SamplingParams(12, 1.0, 1.0, 0, false, List.of(), 5),
                    new SamplingParams(16, 0.7, 0.9, 8, false, List.of("a", "e"), 11))) {
                assertSame(policy.generate(REQUESTS, params), engine.generate(policy.tokenizer(), REQUESTS, params),
                        name + " " + params);
            }
        }
    }

    @Test
    void anInPlaceCacheOverOneJavaBufferIsRefusedWithTheSizes() {
        try (DjlPolicyModel policy = TestCheckpoints.policy(OnnxExportTest.checkpoint("qwen2"));
             OnnxDecoderSession session = OnnxDecoderSession.of(OnnxExport.bytes(policy.config(),
                     policy.exporter().mergedTensors(TensorDType.F32), false, null, CacheLayout.IN_PLACE),
                     "qwen2", 1)) {
            // 1 kv head x 8 wide x 4 bytes = 32 bytes per row and position: 2^20 rows x 128 positions = 4 GiB
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.inPlaceCache(1 << 20, 128));
            assertEquals("qwen2: an in-place cache of 1048576 rows x 128 positions needs 4294967296 bytes per layer,"
                    + " over the 2 GiB one Java buffer holds; generate fewer rows at once (prompts-per-step x"
                    + " group-size, eval.batch-size) or fewer tokens", e.getMessage());
        }
    }

    static void assertSame(List<CompletionGroup> want, List<CompletionGroup> got, String what) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).requestId(), got.get(i).requestId());
            for (int j = 0; j < want.get(i).completions().size(); j++) {
                Completion w = want.get(i).completions().get(j);
                Completion g = got.get(i).completions().get(j);
                String at = what + " group " + i + " completion " + j;
                assertArrayEquals(w.tokens(), g.tokens(), at);
                assertArrayEquals(w.logprobs(), g.logprobs(), 1e-4f, at);
                assertEquals(w.stopReason(), g.stopReason(), at);
                assertEquals(w.text(), g.text(), at);
            }
        }
    }
}
