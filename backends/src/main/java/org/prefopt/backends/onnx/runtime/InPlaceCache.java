package org.prefopt.backends.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.prefopt.backends.onnx.OnnxNames;

/**
 * The KV cache of an in-place graph: per layer a key and a value buffer {@code [rows, kv_heads, capacity, head_dim]},
 * float32, allocated once and wrapped (without a copy) as the tensors passed both as the step's
 * {@code past_key_values.*} inputs and as its pinned {@code present.*} outputs, so ONNX Runtime's GroupQueryAttention
 * writes each new position into them where it belongs instead of returning a longer copy.
 */
public final class InPlaceCache implements AutoCloseable {

    private final OnnxDecoderSession session;
    private final ByteBuffer[] keys;
    private final ByteBuffer[] values;
    private final OnnxTensor[] keyTensors;
    private final OnnxTensor[] valueTensors;
    private final int rows;
    private final int capacity;

    private InPlaceCache(OnnxDecoderSession session, ByteBuffer[] keys, ByteBuffer[] values, int rows,
                         int capacity) {
        this.session = session;
        this.keys = keys;
        this.values = values;
        this.rows = rows;
        this.capacity = capacity;
        this.keyTensors = new OnnxTensor[keys.length];
        this.valueTensors = new OnnxTensor[keys.length];
        long[] shape = {rows, session.kvHeads(), capacity, session.headDim()};
        try {
            for (int l = 0; l < keys.length; l++) {
                keyTensors[l] = OnnxTensor.createTensor(session.env(), keys[l], shape, OnnxJavaType.FLOAT);
                valueTensors[l] = OnnxTensor.createTensor(session.env(), values[l], shape, OnnxJavaType.FLOAT);
            }
        } catch (OrtException e) {
            close();
            throw new IllegalStateException(session.source() + ": cannot create a cache tensor: " + e.getMessage(), e);
        }
    }

    static InPlaceCache allocate(OnnxDecoderSession s, int rows, int capacity) {
        if (s.cacheType() != OnnxJavaType.FLOAT) {
            throw new IllegalStateException(s.source() + ": an in-place cache is float32, the graph's is "
                    + s.cacheType());
        }
        long perLayer = (long) rows * s.kvHeads() * capacity * s.headDim() * Float.BYTES;
        if (perLayer > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(s.source() + ": an in-place cache of " + rows + " rows x " + capacity
                    + " positions needs " + perLayer + " bytes per layer, over the 2 GiB one Java buffer holds;"
                    + " generate fewer rows at once (prompts-per-step x group-size, eval.batch-size) or fewer tokens");
        }
        ByteBuffer[] k = new ByteBuffer[s.layers()];
        ByteBuffer[] v = new ByteBuffer[s.layers()];
        int bytes = (int) perLayer;
        for (int l = 0; l < k.length; l++) {
            k[l] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            v[l] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        return new InPlaceCache(s, k, v, rows, capacity);
    }

    private static int rowBytes(OnnxDecoderSession s, int capacity) {
        return Math.multiplyExact(Math.multiplyExact(s.kvHeads(), capacity), s.headDim() * Float.BYTES);
    }

    public int rows() {
        return rows;
    }

    /** Positions each row can hold. */
    public int capacity() {
        return capacity;
    }

    /** Passes the buffers as the step's cache inputs and as its pinned cache outputs. */
    void feed(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> pinnedOutputs) {
        for (int l = 0; l < keyTensors.length; l++) {
            inputs.put(OnnxNames.pastKey(l), keyTensors[l]);
            inputs.put(OnnxNames.pastValue(l), valueTensors[l]);
            pinnedOutputs.put(OnnxNames.presentKey(l), keyTensors[l]);
            pinnedOutputs.put(OnnxNames.presentValue(l), valueTensors[l]);
        }
    }

    /**
     * A new cache holding rows {@code pick[0], pick[1], ...} of this one (rows may repeat: a prompt's cache for each
     * of its completions), same capacity; this one stays open.
     */
    public InPlaceCache select(int[] pick) {
        int rowBytes = rowBytes(session, capacity);
        ByteBuffer[] k = new ByteBuffer[keys.length];
        ByteBuffer[] v = new ByteBuffer[keys.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = KvState.gather(keys[l], pick, rowBytes);
            v[l] = KvState.gather(values[l], pick, rowBytes);
        }
        return new InPlaceCache(session, k, v, pick.length, capacity);
    }

    @Override
    public void close() {
        for (int l = 0; l < keyTensors.length; l++) {
            if (keyTensors[l] != null) {
                keyTensors[l].close();
            }
            if (valueTensors[l] != null) {
                valueTensors[l].close();
            }
        }
    }
}
