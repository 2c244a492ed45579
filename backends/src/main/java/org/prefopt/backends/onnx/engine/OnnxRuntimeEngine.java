package org.prefopt.backends.onnx.engine;

import ai.onnxruntime.OnnxJavaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.RolloutEngine;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.onnx.export.BaseWeightsFingerprint;
import org.prefopt.backends.onnx.export.CacheLayout;
import org.prefopt.backends.onnx.export.LoraInputs;
import org.prefopt.backends.onnx.export.OnnxExport;
import org.prefopt.backends.onnx.generation.OnnxGenerator;
import org.prefopt.backends.onnx.runtime.ExecutionDevice;
import org.prefopt.backends.onnx.runtime.OnnxDecoderSession;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code engine { type = onnxruntime, threads = 0, path = "", sync = auto, device = cpu, dtype = float32,
 * kv-cache = auto }}: generates with ONNX
 * Runtime. Without {@code path} it runs the policy's own weights and follows them whenever they change (after each
 * optimizer step) as {@link SyncMode} says. With {@code path} it runs that ONNX model (Optimum's
 * text-generation-with-past layout, exported here or elsewhere) with the policy's tokenizer: a self-contained graph
 * is a fixed model to evaluate (refused once the policy it serves is updated); a graph with LoRA adapter inputs is
 * fed the policy's adapters.
 */
public final class OnnxRuntimeEngine implements RolloutEngine {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeEngine.class);

    private final int threads;
    private final Path path;
    private final SyncMode sync;
    private final ExecutionDevice device;
    /** F32 or F16: how the engine's own export stores the weights (and so the caches and logits). */
    private final TensorDType dtype;
    /** How the engine's own export keeps the KV cache. */
    private final KvCacheMode kvCache;
    private OnnxDecoderSession session;
    /** Whether the session takes the policy's LoRA adapters as inputs. */
    private boolean adapterInputs;
    private DjlPolicyModel syncedPolicy;
    private long syncedVersion;
    private long syncedBase;
    private int sessionsOpened;

    /**
     * @param path an exported model (directory or file), or null to run the policy's weights
     */
    public OnnxRuntimeEngine(int threads, Path path, SyncMode sync, ExecutionDevice device, TensorDType dtype,
                             KvCacheMode kvCache) {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16) {
            throw new IllegalArgumentException("the engine exports float32 or float16, not " + dtype);
        }
        this.threads = threads;
        this.path = path;
        this.sync = sync;
        this.device = device;
        this.dtype = dtype;
        this.kvCache = kvCache;
        String why = KvCacheMode.whyNotInPlace(path != null, dtype == TensorDType.F16, device.isCuda());
        if (kvCache == KvCacheMode.IN_PLACE && why != null) {
            throw new IllegalArgumentException("engine.kv-cache = in-place: " + why);
        }
    }

    /** With {@code kv-cache = auto}. */
    public OnnxRuntimeEngine(int threads, Path path, SyncMode sync, ExecutionDevice device, TensorDType dtype) {
        this(threads, path, sync, device, dtype, KvCacheMode.AUTO);
    }

    public OnnxRuntimeEngine(int threads, Path path, SyncMode sync, ExecutionDevice device) {
        this(threads, path, sync, device, TensorDType.F32);
    }

    public OnnxRuntimeEngine(int threads, Path path, SyncMode sync) {
        this(threads, path, sync, ExecutionDevice.CPU);
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
            openExport(djl);
        } else {
            follow(djl);
        }
        return new OnnxGenerator(session, djl.weights().manager()).generate(djl.tokenizer(), requests, params);
    }

    /** How the current session keeps its KV cache, or null before the first generation. */
    public synchronized CacheLayout cacheLayout() {
        return session == null ? null : session.hasInPlaceCache() ? CacheLayout.IN_PLACE : CacheLayout.OPTIMUM;
    }

    /** Sessions opened so far: one per export of the policy (and the one over {@code path}). */
    public synchronized int sessionsOpened() {
        return sessionsOpened;
    }

    /** The mode in effect for {@code policy}: {@link SyncMode#AUTO} resolved, the policy's training checked. */
    static SyncMode resolve(SyncMode sync, DjlPolicyModel policy) {
        if (sync == SyncMode.AUTO) {
            return policy.trainsAdapters() ? SyncMode.ADAPTERS : SyncMode.SESSION;
        }
        if (sync == SyncMode.ADAPTERS && !policy.trainsAdapters()) {
            throw new IllegalArgumentException("engine.sync = adapters feeds the policy's LoRA adapters, but policy '"
                    + policy.info().name() + "' trains every weight (full fine-tuning): use engine.sync = session or"
                    + " inputs, or train LoRA adapters (policy.lora)");
        }
        return sync;
    }

    private void follow(DjlPolicyModel djl) {
        SyncMode mode = resolve(sync, djl);
        boolean samePolicy = session != null && syncedPolicy == djl;
        if (samePolicy && syncedVersion == djl.weightsVersion()) {
            return;
        }
        if (samePolicy && mode == SyncMode.INPUTS) {
            session.feed(djl.exporter().mergedTensors(dtype));
        } else if (samePolicy && mode == SyncMode.ADAPTERS && syncedBase == djl.baseVersion()) {
            session.feed(djl.exporter().adapterTensors());
        } else {
            OnnxDecoderSession fresh = sessionOf(djl, mode);
            close();
            session = fresh;
            sessionsOpened++;
            syncedPolicy = djl;
            adapterInputs = mode == SyncMode.ADAPTERS;
        }
        syncedVersion = djl.weightsVersion();
        syncedBase = djl.baseVersion();
    }

    /** A session over the policy's current weights, in the form {@code mode} follows them in. */
    private OnnxDecoderSession sessionOf(DjlPolicyModel djl, SyncMode mode) {
        String name = djl.info().name() + (dtype == TensorDType.F16 ? ", float16" : "");
        CacheLayout layout = kvCache.layout(djl.config().headDim(), dtype == TensorDType.F16, device.isCuda());
        if (mode == SyncMode.INPUTS) {
            Map<String, TensorData> weights = djl.exporter().mergedTensors(dtype);
            OnnxDecoderSession s = OnnxDecoderSession.of(OnnxExport.bytes(djl.config(), weights, true, null, layout),
                    name + " (ONNX export, weights as inputs)", threads, device);
            s.feed(weights);
            return s;
        }
        LoraInputs lora = mode == SyncMode.ADAPTERS ? LoraInputs.of(djl.weights().lora()) : null;
        Map<String, TensorData> weights = lora == null ? djl.exporter().mergedTensors(dtype)
                : djl.exporter().baseTensors(dtype);
        long bytes = weights.values().stream().mapToLong(t -> t.data().remaining()).sum();
        OnnxDecoderSession s = bytes <= OnnxExport.INLINE_LIMIT
                ? OnnxDecoderSession.of(OnnxExport.bytes(djl.config(), weights, false, lora, layout),
                        name + " (in-memory ONNX export" + (lora == null ? ")" : ", LoRA adapters as inputs)"),
                        threads, device)
                : throughTemporaryDirectory(djl, weights, lora, layout);
        if (lora != null) {
            s.feed(djl.exporter().adapterTensors());
        }
        return s;
    }

    /** Over 2 GB a model cannot be one protobuf message: its weights go to external data in a temporary directory. */
    private OnnxDecoderSession throughTemporaryDirectory(DjlPolicyModel djl, Map<String, TensorData> weights,
                                                        LoraInputs lora, CacheLayout layout) {
        try {
            Path dir = Files.createTempDirectory("prefopt-onnx-engine").resolve("model");
            OnnxExport.write(dir, djl.config(), weights, null, OnnxExport.Storage.EXTERNAL, lora, tmp -> { },
                    layout);
            OnnxDecoderSession s = OnnxDecoderSession.open(dir, threads, device);
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

    /**
     * Opens {@code path} once, checks it against the policy (vocabulary, adapter inputs) and, when the graph takes
     * LoRA adapters, feeds the policy's current ones whenever they changed.
     */
    private void openExport(DjlPolicyModel djl) {
        if (session == null) {
            OnnxDecoderSession s = OnnxDecoderSession.open(path, threads, device);
            try {
                if (s.vocab() != djl.config().vocabSize()) {
                    throw new IllegalArgumentException(s.source() + ": the model's vocabulary has " + s.vocab()
                            + " rows but the policy's tokenizer and config.json have " + djl.config().vocabSize()
                            + "; export the model with the tokenizer it is evaluated with");
                }
                adapterInputs = checkAdapterInputs(s, djl);
                if (adapterInputs) {
                    checkBase(s, djl);
                }
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            session = s;
            sessionsOpened++;
            syncedPolicy = djl;
            syncedVersion = djl.weightsVersion();
            syncedBase = djl.baseVersion();
            if (adapterInputs) {
                session.feed(djl.exporter().adapterTensors());
            }
            return;
        }
        if (syncedPolicy == djl && syncedVersion == djl.weightsVersion()) {
            return;
        }
        if (adapterInputs && syncedPolicy != djl) {
            checkBase(session, djl); // another policy: its base must be the graph's too
        } else if (adapterInputs && syncedBase != djl.baseVersion()) {
            // the graph's base weights are fixed initializers: fed new adapters, it would still run the old base
            throw new IllegalStateException(session.source() + ": the policy's base weights changed (a reference"
                    + " reset or a loaded checkpoint merged the adapters into them), but this export carries the base"
                    + " it was exported with, and only the adapters are fed; leave engine.path empty to let the"
                    + " engine export the policy itself after such changes");
        }
        if (!adapterInputs) {
            // a fixed graph cannot follow a training policy: its rollouts would come from the exported weights
            throw new IllegalStateException(session.source() + ": the policy's weights changed (an optimizer step)"
                    + " but this export is fixed (no LoRA adapter inputs), so the engine would keep generating with"
                    + " the exported weights; " + (djl.trainsAdapters()
                    ? "export the policy with `prefopt export --format onnx --lora-inputs` to feed it the adapters,"
                    + " or leave engine.path empty to let the engine export the policy itself"
                    : "leave engine.path empty to let the engine export the policy itself after every update"));
        }
        session.feed(djl.exporter().adapterTensors());
        syncedPolicy = djl;
        syncedVersion = djl.weightsVersion();
        syncedBase = djl.baseVersion();
    }

    /**
     * Refuses an export with adapter inputs whose base weights are not the policy's (its fingerprint, written by
     * {@code prefopt export --format onnx --lora-inputs}); an export made elsewhere has none and is taken on trust,
     * with a warning.
     */
    private void checkBase(OnnxDecoderSession s, DjlPolicyModel djl) {
        String recorded = s.customMetadata().get(BaseWeightsFingerprint.METADATA_KEY);
        if (recorded == null) {
            LOG.warn("{}: no {} in the model's metadata (not exported by prefopt): the engine cannot check that its"
                    + " base weights are those of policy '{}'; it feeds the run's adapters to whatever base the graph holds",
                    s.source(), BaseWeightsFingerprint.METADATA_KEY, djl.info().name());
            return;
        }
        TensorDType stored = s.cacheType() == OnnxJavaType.FLOAT16 ? TensorDType.F16 : TensorDType.F32;
        String policy = BaseWeightsFingerprint.of(djl.exporter().baseTensors(stored));
        if (!policy.equals(recorded)) {
            throw new IllegalArgumentException(s.source() + ": the export's base weights are not those of policy '"
                    + djl.info().name() + "' (" + BaseWeightsFingerprint.METADATA_KEY + " " + abbreviate(recorded)
                    + " in the model, " + abbreviate(policy) + " for the policy): it was exported from another"
                    + " checkpoint or base model, so the run's adapters would be applied to the wrong weights;"
                    + " export this run's policy with `prefopt export --format onnx --lora-inputs`, or leave"
                    + " engine.path empty to let the engine export the policy itself");
        }
    }

    private static String abbreviate(String sha) {
        return sha.substring(0, 12) + "...";
    }

    /**
     * Whether the export at {@code path} takes the policy's LoRA adapters as inputs; refuses an export whose adapter
     * inputs are not exactly the adapters the run trains, and, with {@code sync = adapters}, one without any.
     */
    private boolean checkAdapterInputs(OnnxDecoderSession s, DjlPolicyModel djl) {
        SortedSet<String> graph = new TreeSet<>(s.extraInputs());
        Set<String> trained = djl.trainsAdapters() ? djl.exporter().adapterKeys() : Set.of();
        SortedSet<String> unknown = new TreeSet<>(graph);
        unknown.removeIf(LoraInputs::isAdapterKey);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(s.source() + ": the graph has inputs the engine cannot feed: "
                    + unknown + "; the engine runs exports whose inputs are the decoder's and LoRA adapters"
                    + " (prefopt export --format onnx, with or without --lora-inputs)");
        }
        if (graph.isEmpty()) {
            if (sync == SyncMode.ADAPTERS) {
                throw new IllegalArgumentException(s.source() + ": engine.sync = adapters, but the graph has no LoRA"
                        + " adapter inputs (a merged export)" + (trained.isEmpty() ? ""
                        : " and the run trains " + trained.size() + " adapter matrices, such as '"
                        + new TreeSet<>(trained).first() + "'") + "; export the policy with"
                        + " `prefopt export --format onnx --lora-inputs`, or leave engine.path empty to let the"
                        + " engine export the policy itself");
            }
            return false;
        }
        if (trained.isEmpty()) {
            throw new IllegalArgumentException(s.source() + ": the graph takes LoRA adapter inputs (such as '"
                    + graph.first() + "') but policy '" + djl.info().name() + "' trains no adapters; train LoRA"
                    + " adapters on the same modules (policy.lora), or use an export without --lora-inputs");
        }
        SortedSet<String> missing = new TreeSet<>(trained);
        missing.removeAll(graph);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(s.source() + ": the run trains LoRA adapters the export does not"
                    + " carry; the graph has no input " + missing + "; export this run's policy again with"
                    + " `prefopt export --format onnx --lora-inputs` (same lora.target-modules), or leave"
                    + " engine.path empty to let the engine export the policy itself");
        }
        SortedSet<String> extra = new TreeSet<>(graph);
        extra.removeAll(trained);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(s.source() + ": the graph takes LoRA adapter inputs the run does not"
                    + " train: " + extra + "; train adapters on the same modules (lora.target-modules) or export"
                    + " this run's policy with `prefopt export --format onnx --lora-inputs`");
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
