package org.prefopt.backends.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import org.prefopt.backends.onnx.OnnxNames;

/**
 * The key and value caches of every layer, {@code [rows, kv_heads, length, head_dim]} each, as ONNX Runtime tensors:
 * either a session result's {@code present.*} outputs (passed back as the next step's inputs without a copy) or
 * tensors made here. Closing it releases the result or the tensors.
 */
public final class KvState implements AutoCloseable {

    private final OnnxDecoderSession session;
    private final OnnxTensor[] keys;
    private final OnnxTensor[] values;
    private final AutoCloseable owner;
    private final int rows;

    private KvState(OnnxDecoderSession session, OnnxTensor[] keys, OnnxTensor[] values, AutoCloseable owner,
                    int rows) {
        this.session = session;
        this.keys = keys;
        this.values = values;
        this.owner = owner;
        this.rows = rows;
    }

    static KvState empty(OnnxDecoderSession s, int rows) {
        ByteBuffer[] none = new ByteBuffer[s.layers()];
        Arrays.fill(none, ByteBuffer.allocateDirect(0));
        return fromHost(s, none, none, rows, 0);
    }

    static KvState of(OnnxDecoderSession s, OrtSession.Result result, int rows) {
        OnnxTensor[] k = new OnnxTensor[s.layers()];
        OnnxTensor[] v = new OnnxTensor[s.layers()];
        for (int l = 0; l < k.length; l++) {
            k[l] = (OnnxTensor) result.get(OnnxNames.presentKey(l)).orElseThrow(() -> new IllegalStateException(
                    s.source() + ": the graph has no output 'present.*.key' for every cache input"));
            v[l] = (OnnxTensor) result.get(OnnxNames.presentValue(l)).orElseThrow(() -> new IllegalStateException(
                    s.source() + ": the graph has no output 'present.*.value' for every cache input"));
        }
        return new KvState(s, k, v, result, rows);
    }

    /** Tensors of the session's cache type over {@code k} and {@code v} (direct, native order). */
    private static KvState fromHost(OnnxDecoderSession s, ByteBuffer[] k, ByteBuffer[] v, int rows, long length) {
        OnnxTensor[] kt = new OnnxTensor[k.length];
        OnnxTensor[] vt = new OnnxTensor[v.length];
        long[] shape = {rows, s.kvHeads(), length, s.headDim()};
        try {
            for (int l = 0; l < k.length; l++) {
                kt[l] = OnnxTensor.createTensor(s.env(), k[l], shape, s.cacheType());
                vt[l] = OnnxTensor.createTensor(s.env(), v[l], shape, s.cacheType());
            }
        } catch (OrtException e) {
            throw new IllegalStateException(s.source() + ": cannot create a cache tensor: " + e.getMessage(), e);
        }
        return new KvState(s, kt, vt, () -> {
            for (int l = 0; l < kt.length; l++) {
                kt[l].close();
                vt[l].close();
            }
        }, rows);
    }

    public int rows() {
        return rows;
    }

    /** Cached positions per row. */
    public long length() {
        return keys[0].getInfo().getShape()[2];
    }

    void feed(Map<String, OnnxTensor> inputs) {
        for (int l = 0; l < keys.length; l++) {
            inputs.put(OnnxNames.pastKey(l), keys[l]);
            inputs.put(OnnxNames.pastValue(l), values[l]);
        }
    }

    /**
     * A new cache holding rows {@code pick[0], pick[1], ...} of this one (rows may repeat: a prompt's cache for each
     * of its completions); this one stays open.
     */
    public KvState select(int[] pick) {
        long length = length();
        int rowSize = Math.toIntExact(session.kvHeads() * length * session.headDim()
                * session.cacheType().size);
        ByteBuffer[] k = new ByteBuffer[keys.length];
        ByteBuffer[] v = new ByteBuffer[keys.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = gather(keys[l], pick, rowSize);
            v[l] = gather(values[l], pick, rowSize);
        }
        return fromHost(session, k, v, pick.length, length);
    }

    /** Rows {@code pick} of {@code t}, {@code rowBytes} each, as a direct buffer in native order. */
    private static ByteBuffer gather(OnnxTensor t, int[] pick, int rowBytes) {
        return gather(t.getByteBuffer(), pick, rowBytes);
    }

    /** Rows {@code pick} of {@code src}, {@code rowBytes} each, as a direct buffer in native order. */
    static ByteBuffer gather(ByteBuffer src, int[] pick, int rowBytes) {
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(pick.length, rowBytes))
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < pick.length; i++) {
            out.put(i * rowBytes, src, pick[i] * rowBytes, rowBytes);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the KV cache: " + e.getMessage(), e);
        }
    }
}
