package org.prefopt.backends.djl.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.memory.MemoryItem;
import org.prefopt.api.memory.MemoryPhase;
import org.prefopt.api.memory.MemoryPlan;
import org.prefopt.api.memory.MemoryWorkload;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.policy.PolicySettings;

/**
 * The plan's arithmetic against numbers worked out by hand for a toy decoder: vocab 10, hidden 4, MLP 6, 2 layers,
 * 2 heads of 2 sharing 1 KV head, tied embeddings, no biases. Parameters: attention 4x4 + 2 x (4x2) + 4x4 = 48,
 * MLP 3 x 4x6 = 72, norms 2 x 4 -> 128 per layer; embedding 40, final norm 4: 2 x 128 + 40 + 4 = 300.
 */
class PolicyMemoryTest {

    static final ModelConfig TOY = new ModelConfig(ModelConfig.LLAMA, 10, 4, 6, 2, 2, 1, 2, 10000.0, 1e-5, true, false,
            Set.of(), null, 0);

    /** 2 prompts x 2 completions generated, prompts of 3 tokens, 5 new tokens; micro-batches of 2 sequences. */
    static final MemoryWorkload WORK = new MemoryWorkload("cpu", "float32", "policy", "float32", 2, 4, 3, 5, 2, 5);

    private static PolicySettings settings(LoraSettings lora, int chunk, boolean checkpointing, boolean reference) {
        return new PolicySettings(null, lora, null, 0, chunk, checkpointing, reference);
    }

    private static Map<String, Long> bytes(MemoryPlan plan) {
        return plan.items().stream().collect(Collectors.toMap(MemoryItem::component, MemoryItem::bytes));
    }

    @Test
    void fullFineTuningByHand() {
        assertEquals(300, TOY.parameterCount());
        MemoryPlan plan = PolicyMemory.plan(new PlannedShape(TOY, "toy", 0), settings(null, 0, false, true), WORK);
        Map<String, Long> b = bytes(plan);
        assertEquals(1200, b.get("weights (float32)"));
        assertEquals(1200, b.get("gradients (float32)"));
        assertEquals(2400, b.get("AdamW moments (float32)"));
        assertEquals(1200, b.get("reference copy"));
        // 4 rows x (3 + 5 - 1) positions x 2 layers x 2 (k, v) x 1 head x 2 x 4 bytes
        assertEquals(896, b.get("KV cache"));
        // prefill of 2 prompts x 3 tokens, N = 6: 10 N h + 9.5 N q + 5.5 N kv + 3 x 2 x 2 heads x 3 x 3 + 5 N I
        // = 240 + 228 + 66 + 108 + 180 = 822 floats; a decoding step: 3 x 4 rows x 10 x 4 = 480 bytes
        assertEquals(3288, b.get("generation working set"));
        // one layer at 2 rows x 8 tokens, N = 16: 640 + 608 + 176 + 3 x 2 x 2 x 8 x 8 + 480 = 2672 floats
        assertEquals(2 * 10688, b.get("activations (all layers kept)"));
        assertEquals(10688, b.get("backward working set"));
        // 5 x (2 x 5) x 10 x 4 + (2 x 5) x 4 x 4
        assertEquals(2160, b.get("logits (full, float32)"));
        assertEquals(2 * 10 * 4 * 4, b.get("output-layer gradient buffers"));
        assertEquals(6000, plan.bytes(MemoryPhase.RESIDENT));
        assertEquals(896 + 3288, plan.bytes(MemoryPhase.GENERATION));
        assertEquals(21376 + 10688 + 2160 + 320, plan.bytes(MemoryPhase.TRAINING));
        assertEquals(6000 + 34544, plan.peak());
        assertEquals(MemoryPhase.TRAINING, plan.peakPhase());
        assertEquals(6000 + 4184 + 34544, plan.total());
    }

    @Test
    void loraCheckpointingAndChunkedLogitsByHand() {
        LoraSettings lora = new LoraSettings(2, 4, 0.0, List.of("q_proj", "v_proj"));
        // q: 2 x (4 + 4), v: 2 x (4 + 2) -> 28 per layer, 56 in all
        assertEquals(56, PolicyMemory.loraParameters(TOY, lora));
        MemoryPlan plan = PolicyMemory.plan(new PlannedShape(TOY, "toy", 0), settings(lora, 4, true, true), WORK);
        Map<String, Long> b = bytes(plan);
        assertEquals(224, b.get("LoRA adapters (float32)"));
        assertEquals(224, b.get("gradients (float32)"));
        assertEquals(448, b.get("AdamW moments (float32)"));
        assertEquals(0, b.get("reference copy"), "LoRA's reference is the base without adapters");
        // the layer adds, per adapted projection, x A (N r) and x A B, its scaled copy and the sum (3 N out):
        // q: 32 + 192, v: 32 + 96
        long layer = (2672 + 352) * 4;
        assertEquals(layer, PolicyMemory.layerActivations(TOY, lora, 2, 8, 4));
        // 3 saved layer inputs of 16 positions x hidden 4, plus one layer re-run
        assertEquals(3 * 16 * 4 * 4 + layer, b.get("activations (gradient checkpointing)"));
        // 4 tokens per chunk over 2 rows: 2 columns, 4 positions; 6 copies x 4 x 10 x 4 + (2 x 5) x 4 x 4
        assertEquals(960 + 160, b.get("logits (chunked, float32)"));
        assertTrue(!b.containsKey("output-layer gradient buffers"), "the output layer is frozen under LoRA");
    }

    @Test
    void loraDropoutKeepsTheDroppedInputAndItsMask() {
        LoraSettings lora = new LoraSettings(2, 4, 0.1, List.of("down_proj"));
        // down_proj (in 6, out 4): x A (16 x 2), 3 x 16 x 4 out, dropped input (16 x 6 floats) and mask (16 x 6 bytes)
        assertEquals((2672 + 32 + 192 + 96) * 4 + 96, PolicyMemory.layerActivations(TOY, lora, 2, 8, 4));
    }

    @Test
    void float16FullFineTuningKeepsFloat32MastersAndHalfActivations() {
        MemoryWorkload w = new MemoryWorkload("cpu", "float16", "policy", "float16", 2, 4, 3, 5, 2, 5);
        Map<String, Long> b = bytes(PolicyMemory.plan(new PlannedShape(TOY, "toy", 0), settings(null, 0, false, false), w));
        assertEquals(600, b.get("weights (float16)"));
        assertEquals(1200, b.get("float32 master weights"));
        assertEquals(600, b.get("gradients (float16)"));
        assertEquals(2400, b.get("AdamW moments (float32)"));
        assertEquals(448, b.get("KV cache"));
        // one layer at N = 16: hidden 40 bytes x 16 x 4 = 2560; (19 x 16 x 4 + 11 x 16 x 2) x 2 / 2 = 1568; scores
        // (3 x 4 + 2 x 2) x 2 rows x 2 heads x 8 x 8 = 4096; MLP 5 x 16 x 6 x 2 = 960
        assertEquals(9184, PolicyMemory.layerActivations(TOY, null, 2, 8, 2));
        assertEquals(2 * 9184, b.get("activations (all layers kept)"));
        // LoRA under float16 adds the adapted input's float32 copy (N in): q_proj 16 x 4 x 4 bytes
        LoraSettings lora = new LoraSettings(2, 4, 0.0, List.of("q_proj"));
        assertEquals(9184 + (32 + 192 + 64) * 4, PolicyMemory.layerActivations(TOY, lora, 2, 8, 2));
    }

    @Test
    void onnxRuntimeEngineAddsItsCopiesAndAFloat32Cache() {
        MemoryWorkload w = new MemoryWorkload("cpu", "float16", "onnxruntime", "float32", 2, 4, 3, 5, 2, 5);
        Map<String, Long> b = bytes(PolicyMemory.plan(new PlannedShape(TOY, "toy", 0), settings(null, 0, false, false), w));
        assertEquals(600, b.get("weights (float16)"));
        assertEquals(2 * 1200, b.get("ONNX Runtime engine"));
        assertEquals(896, b.get("KV cache (ONNX Runtime, float32)"));
        assertEquals(0, b.get("reference copy"));
        // engine.dtype = float16: the engine's weights and cache at 2 bytes
        MemoryWorkload half = new MemoryWorkload("cpu", "float32", "onnxruntime", "float16", 2, 4, 3, 5, 2, 5);
        Map<String, Long> h = bytes(PolicyMemory.plan(new PlannedShape(TOY, "toy", 0), settings(null, 0, false, false),
                half));
        assertEquals(2 * 600, h.get("ONNX Runtime engine"));
        assertEquals(448, h.get("KV cache (ONNX Runtime, float16)"));
    }

    @Test
    void hfShapesComeFromConfigJsonOrTheLabelledTable(@TempDir Path dir) {
        var options = ConfigFactory.parseMap(Map.of("path", dir.resolve("models/Qwen2.5-0.5B-Instruct").toString()));
        PlannedShape known = PlannedShape.hf(options);
        // the published Qwen2.5-0.5B: 494,032,768 parameters (make_qwen_shaped_checkpoint.py counts the same)
        assertEquals(494_032_768L, known.config().parameterCount());
        assertTrue(known.source().startsWith("prefopt's table of known shapes (Qwen2.5-0.5B-Instruct): "),
                known.source());

        var unknown = ConfigFactory.parseMap(Map.of("path", dir.resolve("models/Other-7B").toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlannedShape.hf(unknown));
        assertEquals("needs the checkpoint's config.json: " + dir.resolve("models/Other-7B/config.json")
                + " is missing, and 'Other-7B' is not in prefopt's table of known shapes [Qwen2.5-0.5B, Qwen2.5-1.5B,"
                + " Qwen2.5-3B, Qwen2.5-7B] (download the checkpoint, or point policy.path at its directory)",
                e.getMessage());
    }
}
