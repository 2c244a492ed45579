package org.prefopt.backends.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Why {@link Casts} exists, and that its casts carry gradients both ways while rounding as a plain cast. */
class CastsTest {

    private static float[] gradientThrough(java.util.function.UnaryOperator<NDArray> cast, DataType from) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1.5f, -2.25f, 3f}).toType(from, false);
            x.setRequiresGradient(true);
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = cast.apply(x);
                // d/dx sum(y * [1, 2, 3]) = [1, 2, 3] through an identity cast
                NDArray w = m.create(new float[] {1f, 2f, 3f}).toType(y.getDataType(), false);
                c.backward(y.mul(w).sum());
            }
            NDArray g = x.getGradient();
            return g.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * DJL 0.36's toType casts under a NoGradGuard: the cast's result is off the graph, so the backward pass from it
     * fails here; inside a model it silently leaves everything before the cast without a gradient.
     */
    @Test
    void djlToTypeCutsTheGraph() {
        var e = assertThrows(ai.djl.engine.EngineException.class,
                () -> gradientThrough(x -> x.toType(DataType.FLOAT16, false), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void castsCarryGradientsDownAndUp() {
        assertArrayEquals(new float[] {1f, 2f, 3f}, gradientThrough(x -> Casts.to(x, DataType.FLOAT16),
                DataType.FLOAT32));
        assertArrayEquals(new float[] {1f, 2f, 3f}, gradientThrough(x -> Casts.to(x, DataType.FLOAT32),
                DataType.FLOAT16));
    }

    @Test
    void castRoundsAsToType() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] v = new float[1000];
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
            }
            v[0] = 70000f; // beyond float16's range: inf either way
            NDArray x = m.create(v);
            x.setRequiresGradient(true);
            float[] plain = x.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
            float[] recorded;
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                recorded = Casts.to(x, DataType.FLOAT16).toType(DataType.FLOAT32, false).toFloatArray();
            }
            assertArrayEquals(plain, recorded);
            assertEquals(Float.POSITIVE_INFINITY, recorded[0]);
            assertTrue(Float.isFinite(recorded[1]));
        }
    }
}
