package org.prefopt.backends.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Dtype casts that autograd records. DJL 0.36's {@code NDArray.toType} runs torch's {@code .to} under a
 * {@code NoGradGuard} (its JNI {@code torchTo}), so a cast inside a training graph cuts it: nothing before the cast
 * gets a gradient, without an error ({@code CastsTest} pins this). {@code cumprod} with a dtype argument casts its
 * input first and is recorded (its backward casts the gradient back); over an axis of length 1 it is the identity,
 * so {@code x.expandDims(-1).cumProd(-1, t).squeeze(-1)} is {@code x} cast to {@code t}, differentiably, rounded as
 * {@code .to(t)} rounds. Outside grad mode the plain cast is used: there is no graph to keep.
 */
public final class Casts {

    private Casts() {
    }

    /** {@code x} as {@code type}: {@code x} itself when it has that type already. */
    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        if (!JniUtils.isGradMode()) {
            return x.toType(type, false);
        }
        return x.expandDims(-1).cumProd(-1, type).squeeze(-1);
    }
}
