package org.prefopt.backends.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.prefopt.backends.djl.DjlBackend;

/**
 * The memory behind an array must outlive every autograd node that saved it. A product with a number is
 * differentiated by multiplying with that number again during the backward pass, after the forward code has long
 * dropped its references and the garbage collector may have freed and reused Java-owned memory. With DJL's own
 * {@code x.mul(number)} in place of {@link NdTensors#scaled} this test fails: the gradient comes out as Infinity.
 */
class NdTensorsTest {

    private static final double FACTOR = 0.125;
    private static final float GARBAGE = 12345f;

    @Test
    void scaledKeepsItsFactorAliveForTheBackwardPass() {
        try (DjlBackend backend = new DjlBackend("cpu", "float32", 1)) {
            float[] grad = gradientAfterGc(backend.manager(), NdTensors::scaled);
            float[] expected = new float[grad.length];
            java.util.Arrays.fill(expected, (float) FACTOR);
            assertArrayEquals(expected, grad, "d(x * factor)/dx must be the factor");
        }
    }

    /**
     * The gradient of {@code sum(op(x, FACTOR))} with respect to x, computed after the forward pass's Java objects
     * became unreachable, the collector ran, and freshly allocated direct buffers filled with garbage.
     */
    static float[] gradientAfterGc(NDManager root, BiFunction<NDArray, Double, NDArray> op) {
        try (NDManager m = root.newSubManager();
             GradientCollector collector = Engine.getEngine(DjlBackend.ENGINE).newGradientCollector()) {
            NDArray x = m.ones(new Shape(64));
            x.setRequiresGradient(true);
            NDArray total = null;
            for (int i = 0; i < 200; i++) {
                NDArray part = op.apply(x, FACTOR).sum();
                total = total == null ? part : total.add(part);
            }
            List<ByteBuffer> reuse = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                System.gc();
                for (int i = 0; i < 2000; i++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
                    b.putFloat(0, GARBAGE).putFloat(4, GARBAGE);
                    reuse.add(b);
                }
            }
            collector.backward(total);
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                g[i] /= 200; // 200 identical products summed
            }
            reuse.clear();
            return g;
        }
    }
}
