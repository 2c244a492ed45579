package org.prefopt.backends.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Set;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.Decoder;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.policy.DjlPolicyModel;
import org.prefopt.backends.djl.weights.PolicyWeights;

/** Test diagnostics of a {@link DjlPolicyModel}: raw logits, gradients, and perturbations for finite differences. */
final class PolicyDiagnostics {

    private PolicyDiagnostics() {
    }

    /** Float32 logits (batch, tokens, vocab) of left-padded sequences. */
    static float[] logits(DjlPolicyModel p, int[][] sequences, ScoringMode mode) {
        JniUtils.setGradMode(false);
        try (NDManager m = p.weights().manager().newSubManager()) {
            Batch batch = Batch.leftPadded(m, sequences);
            PolicyWeights.View v = p.weightsFor(mode);
            Decoder decoder = p.decoder();
            return decoder.logits(v.weights(), decoder.forward(v.weights(), v.adapters(), false, batch, null))
                    .toFloatArray();
        }
    }

    /** Names of the trainable arrays (PEFT names under LoRA, Hugging Face names under full fine-tuning). */
    static Set<String> trainableNames(DjlPolicyModel p) {
        return p.weights().trainable().keySet();
    }

    /** A float32 copy of the gradient accumulated so far for a trainable array. */
    static float[] gradient(DjlPolicyModel p, String trainableName) {
        NDArray g = p.weights().trainable().get(trainableName).getGradient();
        try {
            return g.toType(DataType.FLOAT32, false).toFloatArray();
        } finally {
            g.close();
        }
    }

    /** Adds {@code delta} to one element of a trainable array (finite-difference checks). */
    static void perturb(DjlPolicyModel p, String trainableName, int flatIndex, float delta) {
        JniUtils.setGradMode(false);
        NDArray a = p.weights().trainable().get(trainableName);
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        v[flatIndex] += delta;
        try (NDManager m = p.weights().manager().newSubManager()) {
            NdTensors.copyInto(a, NdTensors.owned(m.create(v, a.getShape())));
        }
    }

    /** The largest absolute difference between two arrays of the same length. */
    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
