package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prefopt.backends.safetensors.TensorData;
import org.prefopt.backends.safetensors.TensorDType;

/** Conversions between safetensors bytes and NDArrays. */
public final class NdTensors {

    private NdTensors() {
    }

    public static DataType djlType(TensorDType t) {
        return switch (t) {
            case F32 -> DataType.FLOAT32;
            case BF16 -> DataType.BFLOAT16;
            case F16 -> DataType.FLOAT16;
        };
    }

    public static TensorDType fileType(DataType t) {
        if (t == DataType.FLOAT32) {
            return TensorDType.F32;
        }
        if (t == DataType.BFLOAT16) {
            return TensorDType.BF16;
        }
        if (t == DataType.FLOAT16) {
            return TensorDType.F16;
        }
        throw new IllegalArgumentException("cannot store " + t + " in safetensors here");
    }

    /**
     * Replaces an array made by {@code NDManager.create} from Java data with a clone in memory that torch owns, and
     * closes the original. On CPU, {@code create} makes a tensor that aliases a direct buffer kept alive only by the
     * Java wrapper; once the wrapper is unreachable (the JIT decides when, e.g. right after the forward pass) the
     * garbage collector frees the buffer while the tensor, or a view of it, or a copy saved by autograd for the
     * backward pass (token ids of the embedding gradient), still reads it. That made gradients depend on GC timing.
     * Every array built from Java data goes through here.
     */
    public static NDArray owned(NDArray aliased) {
        NDArray owned = aliased.duplicate();
        aliased.close();
        return owned;
    }

    /**
     * {@code x * factor} with the factor in memory that torch owns, for products autograd may differentiate.
     * {@code NDArray.mul(Number)} wraps the number in a tensor aliasing a Java direct buffer and autograd saves that
     * tensor for the backward pass; once the garbage collector freed the buffer, the backward pass multiplied by
     * whatever the memory then held. Seeded runs then differed from one process to the next: identical losses,
     * gradient norms apart by up to 10%.
     */
    public static NDArray scaled(NDArray x, double factor) {
        try (NDArray f = x.getManager().full(new Shape(), (float) factor, x.getDataType())) {
            return x.mul(f);
        }
    }

    /**
     * A new array owned by {@code manager} holding a copy of the tensor converted to {@code target}, in memory
     * that torch owns (never aliasing the source buffer, which may be a file mapping or a collectable buffer).
     */
    public static NDArray toNd(NDManager manager, TensorData t, DataType target) {
        if (t.dtype() == TensorDType.BF16) {
            t = bf16ToF32(t);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(t.data().remaining()).order(ByteOrder.nativeOrder());
        direct.put(t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN));
        direct.flip();
        try (NDManager tmp = manager.newSubManager(ai.djl.Device.cpu())) {
            // create() on CPU aliases the Java buffer, and toType/toDevice return aliases when nothing changes;
            // duplicate() (a clone) is the one call that guarantees torch-owned memory.
            NDArray raw = tmp.create(direct, new Shape(t.shape()), djlType(t.dtype()));
            NDArray owned = raw.toType(target, false).toDevice(manager.getDevice(), false).duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    /**
     * Copies {@code source} into the existing storage of {@code target} (same shape), keeping the target's
     * identity: parameters stay the same autograd leaves and optimizer references stay valid. DJL's
     * {@code set(Buffer)} is not used because on CPU it re-points the tensor at the Java buffer.
     */
    public static void copyInto(NDArray target, NDArray source) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            target.set(new ai.djl.ndarray.index.NDIndex(":"), source.toType(target.getDataType(), false));
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    /**
     * Copies a tensor read from a file into the existing storage of {@code target} (see
     * {@link #copyInto(NDArray, NDArray)}), after checking its shape.
     *
     * @param where names the tensor in the error, e.g. {@code "<file>: tensor 'name'"}
     */
    public static void copyInto(NDArray target, TensorData source, String where) {
        if (!new Shape(source.shape()).equals(target.getShape())) {
            throw new IllegalArgumentException(where + " has shape " + new Shape(source.shape()) + ", expected "
                    + target.getShape());
        }
        try (NDManager tmp = target.getManager().newSubManager()) {
            copyInto(target, toNd(tmp, source, target.getDataType()));
        }
    }

    /**
     * bfloat16 is the upper half of a float32, so widening is exact. Done here because DJL 0.36's PyTorch JNI
     * cannot create bfloat16 tensors (its dtype switch lacks BF16 and aborts the JVM).
     */
    static TensorData bf16ToF32(TensorData t) {
        java.nio.ShortBuffer in = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putInt((in.get() & 0xffff) << 16);
        }
        out.flip();
        return new TensorData(TensorDType.F32, t.shape(), out);
    }

    /**
     * The nearest bfloat16 of each float32 (round half to even, as torch's {@code .to(torch.bfloat16)}); NaN stays
     * NaN. Done here for the reason of {@link #bf16ToF32}.
     */
    static TensorData f32ToBf16(TensorData t) {
        java.nio.FloatBuffer in = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            int bits = Float.floatToRawIntBits(in.get());
            if ((bits & 0x7fffffff) > 0x7f800000) {
                out.putShort((short) ((bits >>> 16) | 0x40)); // quiet NaN
            } else {
                int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
                out.putShort((short) (rounded >>> 16));
            }
        }
        out.flip();
        return new TensorData(TensorDType.BF16, t.shape(), out);
    }

    /** A copy of {@code array} stored as {@code storeAs}, bfloat16 included (which DJL cannot create). */
    public static TensorData fromNd(NDArray array, TensorDType storeAs) {
        return storeAs == TensorDType.BF16 ? f32ToBf16(fromNd(array, DataType.FLOAT32))
                : fromNd(array, djlType(storeAs));
    }

    public static TensorData fromNd(NDArray array, DataType storeAs) {
        NDArray cpu = array.toDevice(ai.djl.Device.cpu(), true).toType(storeAs, true);
        try {
            ByteBuffer b = cpu.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(b).flip();
            return new TensorData(fileType(storeAs), cpu.getShape().getShape(), copy);
        } finally {
            cpu.close();
        }
    }

    /** {@link #fromNd(NDArray, DataType)} of every array, each stored in its own dtype, in the map's order. */
    public static Map<String, TensorData> fromNd(Map<String, NDArray> arrays) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, fromNd(v, v.getDataType())));
        return out;
    }
}
