package org.prefopt.backends.onnx.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.backends.djl.export.PolicyExport;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.onnx.OnnxNames;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Writes a decoder as an Optimum-style ONNX directory, swapped in atomically: {@code model.onnx} (with
 * {@code model.onnx_data} when the weights do not fit one protobuf message), {@code config.json} and the tokenizer
 * files. The weights are float32, or float16 (then the caches and logits are float16 too, as in Optimum's fp16
 * exports, and the graph computes in float32 between Casts), merged or with the LoRA adapters as inputs.
 */
public final class OnnxExport {

    /** ONNX opset of the graph: every op used exists with these semantics in opset 17 (ONNX Runtime 1.12+). */
    public static final int OPSET = 17;
    /** IR version 8 goes with opset 17. */
    public static final int IR_VERSION = 8;
    /** Above this many weight bytes the weights go to external data: protobuf messages are limited to 2 GB. */
    public static final long INLINE_LIMIT = (1L << 31) - (64L << 20);

    /** How weights are stored. */
    public enum Storage {
        /** inline when under {@link #INLINE_LIMIT}, else external */
        AUTO,
        /** always in {@code model.onnx_data} */
        EXTERNAL
    }

    private OnnxExport() {
    }

    /**
     * @param weights      every weight of the model by Hugging Face name, float32
     * @param tokenizerDir directory whose tokenizer files are copied, or null
     */
    public static void write(Path directory, ModelConfig config, Map<String, TensorData> weights, Path tokenizerDir,
                             Storage storage) {
        write(directory, config, weights, tokenizerDir, storage, null);
    }

    /**
     * @param weights every weight of the model by Hugging Face name, float32; with {@code lora}, the base weights
     *                without the adapters
     * @param lora    adapters carried as graph inputs (PEFT's keys, fed at run time), or null for a self-contained
     *                graph
     */
    public static void write(Path directory, ModelConfig config, Map<String, TensorData> weights, Path tokenizerDir,
                             Storage storage, LoraInputs lora) {
        write(directory, config, weights, tokenizerDir, storage, lora, tmp -> { });
    }

    /** @param alsoWrite writes more files into the directory before it is swapped in (the adapters' values) */
    public static void write(Path directory, ModelConfig config, Map<String, TensorData> weights, Path tokenizerDir,
                             Storage storage, LoraInputs lora, AtomicFiles.DirectoryWriter alsoWrite) {
        write(directory, config, weights, tokenizerDir, storage, lora, alsoWrite, CacheLayout.OPTIMUM);
    }

    /** @param layout how the graph keeps its KV cache (files for other tools: {@link CacheLayout#OPTIMUM}) */
    public static void write(Path directory, ModelConfig config, Map<String, TensorData> weights, Path tokenizerDir,
                             Storage storage, LoraInputs lora, AtomicFiles.DirectoryWriter alsoWrite,
                             CacheLayout layout) {
        long bytes = weights.values().stream().mapToLong(t -> t.data().remaining()).sum();
        boolean external = storage == Storage.EXTERNAL || bytes > INLINE_LIMIT;
        AtomicFiles.writeDirectory(directory, tmp -> {
            ModelProto model;
            try (WeightStore store = external ? WeightStore.external(tmp.resolve(OnnxNames.DATA_FILE))
                    : WeightStore.inline()) {
                model = model(config, weights, store, false, lora, layout);
            }
            if (lora != null) {
                model = model.toBuilder().addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey(BaseWeightsFingerprint.METADATA_KEY).setValue(BaseWeightsFingerprint.of(weights)))
                        .build();
            }
            try (OutputStream out = Files.newOutputStream(tmp.resolve(OnnxNames.MODEL_FILE))) {
                model.writeTo(out);
            }
            boolean half = weights.values().stream().anyMatch(t -> t.dtype() == TensorDType.F16);
            config.write(tmp.resolve("config.json"), half ? "float16" : "float32");
            PolicyExport.copyTokenizerFiles(tokenizerDir, tmp);
            alsoWrite.write(tmp);
        });
    }

    /** The model in memory (weights through {@code store}). */
    static ModelProto model(ModelConfig config, Map<String, TensorData> weights, WeightStore store,
                            boolean weightsAsInputs, LoraInputs lora, CacheLayout layout) {
        GraphBuilder g = new GraphBuilder("prefopt_" + config.architecture(), store);
        DecoderGraph.build(config, weights, g, weightsAsInputs, lora, layout);
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("prefopt")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (layout == CacheLayout.IN_PLACE) {
            model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(DecoderGraph.MICROSOFT).setVersion(1));
        }
        return model.setGraph(g.build()).build();
    }

    /**
     * The model as bytes for a session built in memory: weights inline, or (with {@code weightsAsInputs}) every
     * weight a graph input of its Hugging Face name, to be fed at run time.
     */
    public static byte[] bytes(ModelConfig config, Map<String, TensorData> weights, boolean weightsAsInputs) {
        return bytes(config, weights, weightsAsInputs, null, CacheLayout.OPTIMUM);
    }

    /**
     * {@link #bytes(ModelConfig, Map, boolean)} with the LoRA adapters {@code lora} as graph inputs (or null) and the
     * cache kept as {@code layout} says.
     */
    public static byte[] bytes(ModelConfig config, Map<String, TensorData> weights, boolean weightsAsInputs,
                               LoraInputs lora, CacheLayout layout) {
        return model(config, weights, WeightStore.inline(), weightsAsInputs, lora, layout).toByteArray();
    }

}
