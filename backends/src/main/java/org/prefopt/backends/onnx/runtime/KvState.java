package org.prefopt.backends.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
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
        return fromHost(s, new float[s.layers()][0], new float[s.layers()][0], rows, 0);
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

    private static KvState fromHost(OnnxDecoderSession s, float[][] k, float[][] v, int rows, long length) {
        OnnxTensor[] kt = new OnnxTensor[k.length];
        OnnxTensor[] vt = new OnnxTensor[v.length];
        long[] shape = {rows, s.kvHeads(), length, s.headDim()};
        try {
            for (int l = 0; l < k.length; l++) {
                kt[l] = OnnxTensor.createTensor(s.env(), FloatBuffer.wrap(k[l]), shape);
                vt[l] = OnnxTensor.createTensor(s.env(), FloatBuffer.wrap(v[l]), shape);
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
        int rowSize = Math.toIntExact(session.kvHeads() * length * session.headDim());
        float[][] k = new float[keys.length][];
        float[][] v = new float[keys.length][];
        for (int l = 0; l < keys.length; l++) {
            k[l] = gather(keys[l], pick, rowSize);
            v[l] = gather(values[l], pick, rowSize);
        }
        return fromHost(session, k, v, pick.length, length);
    }

    private static float[] gather(OnnxTensor t, int[] pick, int rowSize) {
        FloatBuffer src = t.getFloatBuffer();
        float[] out = new float[Math.multiplyExact(pick.length, rowSize)];
        for (int i = 0; i < pick.length; i++) {
            src.get(pick[i] * rowSize, out, i * rowSize, rowSize);
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
