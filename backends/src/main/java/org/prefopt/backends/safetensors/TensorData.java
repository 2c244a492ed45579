package org.prefopt.backends.safetensors;

import java.nio.ByteBuffer;

/** A tensor's raw little-endian bytes with its type and shape, as read from or written to safetensors. */
public record TensorData(TensorDType dtype, long[] shape, ByteBuffer data) {

    public static TensorData ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData(TensorDType.F32, shape, b);
    }
}
