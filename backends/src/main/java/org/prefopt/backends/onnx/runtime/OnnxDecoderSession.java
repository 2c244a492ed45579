package org.prefopt.backends.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.prefopt.backends.onnx.OnnxNames;
import org.prefopt.backends.safetensors.TensorData;

/**
 * An ONNX Runtime session over a decoder with Optimum's {@code text-generation-with-past} interface (ours or one
 * exported elsewhere), checked when opened: the three token inputs, a key and value cache input per layer with the
 * same {@code [batch, kv_heads, seq, head_dim]} layout and type (float32, or float16 as in Optimum's fp16 exports),
 * float32 or float16 logits over a fixed vocabulary. {@link #step} runs
 * one forward pass and returns the logits of each row's last position and the grown cache.
 */
public final class OnnxDecoderSession implements AutoCloseable {

    private final String source;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int vocab;
    /** FLOAT or FLOAT16: the caches' type (the engine feeds back what the graph returned). */
    private OnnxJavaType cacheType;
    private final OnnxJavaType logitsType;
    /** Whether the graph keeps its cache in place (GroupQueryAttention over fixed buffers) rather than Optimum's way. */
    private final boolean inPlace;
    /** Values of graph inputs beyond the decoder's (weights fed at run time), passed to every step. */
    private final Map<String, OnnxTensor> fedInputs = new HashMap<>();

    private OnnxDecoderSession(String source, OrtEnvironment env, OrtSession session) throws OrtException {
        this.source = source;
        this.env = env;
        this.session = session;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        this.inPlace = inputs.containsKey(OnnxNames.SEQLENS_K) && inputs.containsKey(OnnxNames.TOTAL_SEQUENCE_LENGTH);
        for (String name : List.of(OnnxNames.INPUT_IDS, inPlace ? OnnxNames.SEQLENS_K : OnnxNames.ATTENTION_MASK,
                OnnxNames.POSITION_IDS)) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException(source + ": the graph has no input '" + name + "' (inputs: "
                        + inputs.keySet() + "); the engine runs decoders exported as Optimum's"
                        + " text-generation-with-past (prefopt export --format onnx writes one)");
            }
        }
        int n = 0;
        while (inputs.containsKey(OnnxNames.pastKey(n))) {
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException(source + ": the graph has no input '" + OnnxNames.pastKey(0)
                    + "': it was exported without a KV cache; export with text-generation-with-past");
        }
        this.layers = n;
        long[] kv = cacheShape(inputs, OnnxNames.pastKey(0));
        this.kvHeads = Math.toIntExact(kv[1]);
        this.headDim = Math.toIntExact(kv[3]);
        for (int l = 0; l < n; l++) {
            for (String name : List.of(OnnxNames.pastKey(l), OnnxNames.pastValue(l))) {
                long[] s = cacheShape(inputs, name);
                if (s[1] != kvHeads || s[3] != headDim) {
                    throw new IllegalArgumentException(source + ": input '" + name + "' has shape "
                            + Arrays.toString(s) + ", unlike " + OnnxNames.pastKey(0));
                }
            }
        }
        NodeInfo logits = session.getOutputInfo().get(OnnxNames.LOGITS);
        if (logits == null || !(logits.getInfo() instanceof TensorInfo t)
                || (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.FLOAT16)
                || t.getShape().length != 3 || t.getShape()[2] <= 0) {
            throw new IllegalArgumentException(source + ": the graph needs a float32 or float16 output '"
                    + OnnxNames.LOGITS
                    + "' of shape [batch, sequence, vocab] with a fixed vocab (got "
                    + (logits == null ? "none" : logits.getInfo()) + ")");
        }
        this.vocab = Math.toIntExact(t.getShape()[2]);
        this.logitsType = t.type;
    }

    private long[] cacheShape(Map<String, NodeInfo> inputs, String name) {
        NodeInfo info = inputs.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo t) || t.getShape().length != 4
                || t.getShape()[1] <= 0 || t.getShape()[3] <= 0) {
            throw new IllegalArgumentException(source + ": cache input '" + name + "' must be a tensor [batch,"
                    + " kv_heads, sequence, head_dim] with fixed kv_heads and head_dim (got "
                    + (info == null ? "none" : info.getInfo()) + ")");
        }
        if (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.FLOAT16) {
            throw new IllegalArgumentException(source + ": cache input '" + name + "' is " + t.type
                    + "; the engine runs models with float32 or float16 caches");
        }
        if (cacheType == null) {
            cacheType = t.type;
        } else if (cacheType != t.type) {
            throw new IllegalArgumentException(source + ": cache input '" + name + "' is " + t.type + ", unlike "
                    + OnnxNames.pastKey(0) + " (" + cacheType + ")");
        }
        return t.getShape();
    }

    /**
     * Opens {@code model.onnx} in {@code path} (a directory) or the file {@code path}.
     *
     * @param threads intra-op threads; 0 lets ONNX Runtime choose
     */
    public static OnnxDecoderSession open(Path path, int threads) {
        return open(path, threads, ExecutionDevice.CPU);
    }

    /** {@link #open(Path, int)} on {@code device}. */
    public static OnnxDecoderSession open(Path path, int threads, ExecutionDevice device) {
        Path file = Files.isDirectory(path) ? path.resolve(OnnxNames.MODEL_FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no ONNX model at " + file.toAbsolutePath() + " (an ONNX export"
                    + " directory holds " + OnnxNames.MODEL_FILE + ")");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = env.createSession(file.toString(), options(threads, device));
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + " is not an ONNX model ONNX Runtime can load: "
                    + e.getMessage(), e);
        }
        return wrap(file.toString(), env, session);
    }

    /** A session over an in-memory model (weights inline). */
    public static OnnxDecoderSession of(byte[] model, String name, int threads) {
        return of(model, name, threads, ExecutionDevice.CPU);
    }

    /** {@link #of(byte[], String, int)} on {@code device}. */
    public static OnnxDecoderSession of(byte[] model, String name, int threads, ExecutionDevice device) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            return wrap(name, env, env.createSession(model, options(threads, device)));
        } catch (OrtException e) {
            throw new IllegalArgumentException(name + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private static OnnxDecoderSession wrap(String source, OrtEnvironment env, OrtSession session) {
        try {
            return new OnnxDecoderSession(source, env, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IllegalArgumentException(source + ": cannot read the graph's inputs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static OrtSession.SessionOptions options(int threads, ExecutionDevice device) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        device.apply(o);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (threads > 0) {
            o.setIntraOpNumThreads(threads);
        }
        o.setInterOpNumThreads(1);
        // between steps the CPU belongs to the sampler (libtorch): threads that spin waiting for work would take it
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        return o;
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // the load error is the one to report
        }
    }

    public String source() {
        return source;
    }

    public int layers() {
        return layers;
    }

    public int vocab() {
        return vocab;
    }

    /**
     * The graph inputs beyond the decoder's token and cache inputs (weights or LoRA adapters fed at run time), sorted.
     */
    public SortedSet<String> extraInputs() {
        try {
            SortedSet<String> out = new TreeSet<>(session.getInputInfo().keySet());
            out.removeAll(List.of(OnnxNames.INPUT_IDS, OnnxNames.ATTENTION_MASK, OnnxNames.POSITION_IDS,
                    OnnxNames.SEQLENS_K, OnnxNames.TOTAL_SEQUENCE_LENGTH));
            for (int l = 0; l < layers; l++) {
                out.remove(OnnxNames.pastKey(l));
                out.remove(OnnxNames.pastValue(l));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": cannot read the graph's inputs: " + e.getMessage(), e);
        }
    }

    /** The model's custom metadata ({@code metadata_props}); empty when it has none. */
    public Map<String, String> customMetadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": cannot read the model's metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Feeds (or replaces) the graph inputs named by {@code values}' keys, such as the weights of a graph exported
     * with weights as inputs; every later step passes them.
     */
    public void feed(Map<String, TensorData> values) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (var e : values.entrySet()) {
                if (!inputs.containsKey(e.getKey())) {
                    throw new IllegalArgumentException(source + ": the graph has no input '" + e.getKey() + "'");
                }
                TensorData t = e.getValue();
                ByteBuffer le = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                OnnxTensor tensor = switch (t.dtype()) {
                    case F32 -> OnnxTensor.createTensor(env, le.asFloatBuffer(), t.shape());
                    case F16 -> OnnxTensor.createTensor(env, le.asShortBuffer(), t.shape(), OnnxJavaType.FLOAT16);
                    case BF16 -> OnnxTensor.createTensor(env, le.asShortBuffer(), t.shape(), OnnxJavaType.BFLOAT16);
                };
                OnnxTensor old = fedInputs.put(e.getKey(), tensor);
                if (old != null) {
                    old.close();
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": cannot create an input tensor: " + e.getMessage(), e);
        }
    }

    /** An empty cache for {@code batch} rows (Optimum's layout). */
    public KvState emptyCache(int batch) {
        return KvState.empty(this, batch);
    }

    /**
     * Whether the graph keeps its cache in place ({@link #stepInPlace} with an {@link InPlaceCache}) rather than in
     * Optimum's layout ({@link #step} with a {@link KvState}).
     */
    public boolean hasInPlaceCache() {
        return inPlace;
    }

    /** A zeroed in-place cache of {@code rows} rows holding up to {@code capacity} positions each. */
    public InPlaceCache inPlaceCache(int rows, int capacity) {
        if (!inPlace) {
            throw new IllegalStateException(source + ": the graph keeps its cache in Optimum's layout, not in place");
        }
        return InPlaceCache.allocate(this, rows, capacity);
    }

    int kvHeads() {
        return kvHeads;
    }

    int headDim() {
        return headDim;
    }

    /** FLOAT or FLOAT16: the caches' type, which is also the type an export of ours stores its weights in. */
    public OnnxJavaType cacheType() {
        return cacheType;
    }

    OrtEnvironment env() {
        return env;
    }

    /**
     * One forward pass over {@code seq} new tokens per row.
     *
     * @param ids       (batch, seq) row-major
     * @param mask      (batch, past + seq): 1 for real tokens, 0 for padding
     * @param positions (batch, seq)
     * @param past      the cache so far ({@link #emptyCache} before the first call); closed by this call
     * @return the float32 logits of each row's last position (batch, vocab) and the grown cache
     */
    public StepOutput step(long[] ids, long[] mask, long[] positions, int batch, int seq, KvState past) {
        if (inPlace) {
            throw new IllegalStateException(source + ": the graph keeps its cache in place: use stepInPlace");
        }
        Map<String, OnnxTensor> in = new HashMap<>(fedInputs);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {batch, seq}));
            owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {batch, mask.length / batch}));
            owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {batch, seq}));
            in.put(OnnxNames.INPUT_IDS, owned.get(0));
            in.put(OnnxNames.ATTENTION_MASK, owned.get(1));
            in.put(OnnxNames.POSITION_IDS, owned.get(2));
            past.feed(in);
            OrtSession.Result result = session.run(in);
            int[] last = new int[batch];
            Arrays.fill(last, seq - 1);
            return new StepOutput(rowLogits(result, seq, last), KvState.of(this, result, batch));
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
            past.close();
        }
    }

    /**
     * One forward pass over up to {@code seq} new tokens per row, right-padded, writing their keys and values into
     * {@code cache} in place (the graph's cache inputs and outputs are the same buffers).
     *
     * @param ids       (rows, seq) row-major; a row's tokens first, then padding
     * @param positions (rows, seq)
     * @param lengths   each row's length after the pass (cached positions + its real new tokens)
     * @param last      for each row, the index in {@code 0..seq-1} of its last real new token, whose logits to return
     * @return the float32 logits at {@code last} of each row (rows, vocab)
     */
    public float[] stepInPlace(long[] ids, long[] positions, int[] lengths, int[] last, int seq,
                               InPlaceCache cache) {
        int rows = cache.rows();
        int[] seqlensK = new int[rows];
        int total = 0;
        for (int r = 0; r < rows; r++) {
            if (lengths[r] > cache.capacity()) {
                throw new IllegalArgumentException(source + ": row " + r + " would hold " + lengths[r]
                        + " positions, over the cache's capacity of " + cache.capacity());
            }
            seqlensK[r] = lengths[r] - 1;
            total = Math.max(total, lengths[r]);
        }
        Map<String, OnnxTensor> in = new HashMap<>(fedInputs);
        Map<String, OnnxTensor> pinned = new HashMap<>();
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {rows, seq}));
            owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {rows, seq}));
            owned.add(OnnxTensor.createTensor(env, IntBuffer.wrap(seqlensK), new long[] {rows}));
            owned.add(OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {total}), new long[0]));
            in.put(OnnxNames.INPUT_IDS, owned.get(0));
            in.put(OnnxNames.POSITION_IDS, owned.get(1));
            in.put(OnnxNames.SEQLENS_K, owned.get(2));
            in.put(OnnxNames.TOTAL_SEQUENCE_LENGTH, owned.get(3));
            cache.feed(in, pinned);
            try (OrtSession.Result result = session.run(in, Set.of(OnnxNames.LOGITS), pinned)) {
                return rowLogits(result, seq, last);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /** Row {@code r}'s logits at position {@code last[r]} of a pass over {@code seq} tokens per row, as float32. */
    private float[] rowLogits(OrtSession.Result result, int seq, int[] last) {
        int rows = last.length;
        float[] out = new float[rows * vocab];
        OnnxTensor logitsTensor = (OnnxTensor) result.get(OnnxNames.LOGITS).orElseThrow();
        FloatBuffer logits = logitsType == OnnxJavaType.FLOAT ? logitsTensor.getFloatBuffer()
                : Fp16Conversions.convertFp16BufferToFloatBuffer(logitsTensor.getShortBuffer());
        for (int r = 0; r < rows; r++) {
            logits.get(Math.toIntExact(((long) r * seq + last[r]) * vocab), out, r * vocab, vocab);
        }
        return out;
    }

    /** Logits of each row's last position (rows, vocab) and the cache after the pass. */
    public record StepOutput(float[] logits, KvState cache) {
    }

    @Override
    public void close() {
        fedInputs.values().forEach(OnnxTensor::close);
        closeQuietly(session);
    }
}
