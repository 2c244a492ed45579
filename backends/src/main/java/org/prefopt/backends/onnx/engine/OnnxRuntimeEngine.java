package org.prefopt.backends.onnx.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.onnx.generation.OnnxGenerator;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/**
 * {@code engine { type = onnxruntime, threads = 0, path = "" }}: generates with ONNX Runtime (CPU execution
 * provider). Without {@code path} it runs the policy's own weights: the policy is exported in memory (adapters
 * merged) into a new session whenever its weights changed since the last call (after each optimizer step), which on
 * {@code tiny} costs about 0.15 s. With {@code path} it runs that ONNX model (Optimum's text-generation-with-past
 * layout, exported here or elsewhere) with the policy's tokenizer, and never syncs: for evaluating an exported model.
 */
public final class OnnxRuntimeEngine implements RolloutEngine {

    private final int threads;
    private final Path path;
    private final boolean weightsAsInputs;
    private OnnxDecoderSession session;
    private DjlPolicyModel syncedPolicy;
    private long syncedVersion;

    /**
     * @param path            an exported model (directory or file), or null to run the policy's weights
     * @param weightsAsInputs follow the policy by feeding its weights as graph inputs to one session, instead of a
     *                        new session over an in-memory export after every update
     */
    public OnnxRuntimeEngine(int threads, Path path, boolean weightsAsInputs) {
        this.threads = threads;
        this.path = path;
        this.weightsAsInputs = weightsAsInputs;
    }

    @Override
    public synchronized List<CompletionGroup> generate(PolicyModel policy, List<GenerationRequest> requests,
                                                       SamplingParams params) {
        if (!(policy instanceof DjlPolicyModel djl)) {
            throw new IllegalArgumentException("engine onnxruntime runs the policies of the backends plugin (hf,"
                    + " tiny); policy '" + policy.info().name() + "' is not one: use engine { type = policy }");
        }
        djl.checkGeneration(requests, params);
        if (path != null) {
            if (session == null) {
                session = OnnxDecoderSession.open(path, threads);
                if (session.vocab() != djl.config().vocabSize()) {
                    String source = session.source();
                    int vocab = session.vocab();
                    session.close();
                    session = null;
                    throw new IllegalArgumentException(source + ": the model's vocabulary has " + vocab
                            + " rows but the policy's tokenizer and config.json have " + djl.config().vocabSize()
                            + "; export the model with the tokenizer it is evaluated with");
                }
            }
        } else if (session == null || syncedPolicy != djl || syncedVersion != djl.weightsVersion()) {
            Map<String, TensorData> weights = djl.exporter().mergedTensors(TensorDType.F32);
            if (weightsAsInputs && session != null && syncedPolicy == djl) {
                session.feed(weights);
            } else {
                OnnxDecoderSession fresh = sessionOf(djl, weights);
                close();
                session = fresh;
                syncedPolicy = djl;
            }
            syncedVersion = djl.weightsVersion();
        }
        return new OnnxGenerator(session, djl.weights().manager()).generate(djl.tokenizer(), requests, params);
    }

    /**
     * A session over the policy's current weights: weights fed as inputs, or in memory, or through a temporary
     * directory past 2 GB.
     */
    private OnnxDecoderSession sessionOf(DjlPolicyModel djl, Map<String, TensorData> weights) {
        if (weightsAsInputs) {
            OnnxDecoderSession s = OnnxDecoderSession.of(OnnxExport.bytes(djl.config(), weights, true),
                    djl.info().name() + " (ONNX export, weights as inputs)", threads);
            s.feed(weights);
            return s;
        }
        long bytes = weights.values().stream().mapToLong(t -> t.data().remaining()).sum();
        if (bytes <= OnnxExport.INLINE_LIMIT) {
            return OnnxDecoderSession.of(OnnxExport.bytes(djl.config(), weights, false),
                    djl.info().name() + " (in-memory ONNX export)", threads);
        }
        try {
            Path dir = Files.createTempDirectory("prefopt-onnx-engine").resolve("model");
            OnnxExport.write(dir, djl.config(), weights, null, OnnxExport.Storage.EXTERNAL);
            OnnxDecoderSession s = OnnxDecoderSession.open(dir, threads);
            // the session holds the weights now; the files are not needed any more
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            Files.delete(dir.getParent());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the policy's ONNX export to a temporary directory", e);
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
