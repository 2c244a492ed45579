package org.prefopt.backends.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.OptimizerStepResult;
import org.prefopt.backends.djl.model.NdTensors;

/**
 * AdamW over named trainable arrays whose gradients PyTorch accumulated in {@code .grad}. Moments are float32.
 * One {@link #step()} unscales the gradients (dynamic loss scaling, {@link GradScaler}), computes the global gradient
 * norm, skips the update (clearing gradients) when it is not finite, clips, updates and clears the gradients.
 *
 * <p>A trainable array that is not float32 (full fine-tuning under float16) gets a float32 master copy: the update is
 * applied to the master and the array the forward pass reads is refreshed from it, rounded, after each step. Updates
 * far smaller than a float16 ulp of the weight would otherwise be lost entirely (apex's O2 / mixed-precision
 * training's master weights).
 */
public final class AdamW {

    private final OptimizerSettings settings;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    /** float32 master copies of the params that are not float32; float32 params are their own master. */
    private final Map<String, NDArray> masters = new LinkedHashMap<>();
    private final NDManager manager;
    private final GradScaler scaler;
    private long step;
    private long skipped;
    private double override;

    public AdamW(OptimizerSettings settings, Map<String, NDArray> params, NDManager manager, GradScaler scaler) {
        this.settings = settings;
        this.params = params;
        this.manager = manager;
        this.scaler = scaler;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (var e : params.entrySet()) {
                m.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
                v.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
                NDArray p = e.getValue();
                masters.put(e.getKey(), p.getDataType() == DataType.FLOAT32 ? p : p.toType(DataType.FLOAT32, true));
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** The loss scaler whose scale the gradients carry. */
    public GradScaler scaler() {
        return scaler;
    }

    /**
     * The float32 values the updates apply to, by the params' names: the params themselves when they are float32,
     * their master copies otherwise. The training state saves these (not the rounded working copies).
     */
    public Map<String, NDArray> masterWeights() {
        return masters;
    }

    /**
     * Rounds the masters into the working copies the forward pass reads (after they were loaded or updated); nothing
     * to do for float32 params.
     */
    public void refreshWorkingCopies() {
        for (var e : params.entrySet()) {
            NDArray master = masters.get(e.getKey());
            if (master != e.getValue()) {
                NdTensors.copyInto(e.getValue(), master);
            }
        }
    }

    public long stepCount() {
        return step;
    }

    public long skippedCount() {
        return skipped;
    }

    public void restore(long stepCount, long skippedCount) {
        this.step = stepCount;
        this.skipped = skippedCount;
    }

    public Map<String, NDArray> firstMoments() {
        return m;
    }

    public Map<String, NDArray> secondMoments() {
        return v;
    }

    /**
     * Zeroes the moment estimates (the parameters changed meaning, e.g. LoRA adapters restarted after a merge). The
     * step count, and with it the schedule and bias correction, continues: the first updates after a reset are small.
     */
    public void resetMoments() {
        for (Map<String, NDArray> moments : List.of(m, v)) {
            for (NDArray a : moments.values()) {
                try (NDArray zeros = a.zerosLike()) {
                    NdTensors.copyInto(a, zeros);
                }
            }
        }
    }

    /** A constant rate that replaces the schedule while it is {@code > 0}. */
    public void overrideLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0 (got " + learningRate + ")");
        }
        this.override = learningRate;
    }

    public double currentLearningRate() {
        return override > 0 ? override : settings.learningRate() * settings.schedule().factor(step);
    }

    public OptimizerStepResult step() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager s = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            // unscaled in float32, as GradScaler.unscale_ before clipping; 1/scale is a power of two by default
            double inverseScale = 1.0 / scaler.scale();
            double sq = 0;
            for (var e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                if (g == null) {
                    continue; // parameter took no part in the graph this step
                }
                g.attach(s);
                NDArray g32 = g.toType(DataType.FLOAT32, false);
                if (inverseScale != 1.0) {
                    g32 = g32 == g ? g32.mul((float) inverseScale) : g32.muli((float) inverseScale);
                }
                grads.put(e.getKey(), g32);
                try (NDArray squares = g32.square(); NDArray sum = squares.sum()) {
                    sq += sum.getFloat();
                }
            }
            double norm = Math.sqrt(sq);
            double lr = currentLearningRate();
            if (!Double.isFinite(norm)) {
                zeroGradients();
                skipped++;
                // under loss scaling an overflow is expected now and then: back off and go on (PyTorch's
                // scaler.step skips optimizer.step; the schedule does not advance either, as HF Trainer skips
                // lr_scheduler.step when the scaler skipped the optimizer)
                scaler.update(true);
                return new OptimizerStepResult(norm, lr, false, scaler.isEnabled());
            }
            double clip = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()
                    ? settings.maxGradNorm() / (norm + 1e-6) : 1.0;
            step++;
            double b1 = settings.beta1();
            double b2 = settings.beta2();
            // StrictMath, not Math, in every number that feeds training: Math.pow/exp/log may differ by an ulp
            // between interpreted and JIT-compiled code, which made seeded runs depend on when the JIT ran.
            double bc1 = 1 - StrictMath.pow(b1, step);
            double bc2 = 1 - StrictMath.pow(b2, step);
            for (var e : grads.entrySet()) {
                // one parameter at a time, each temporary closed as soon as it is used: the temporaries of the
                // largest array (the embedding), not of all of them, set the step's peak memory
                try (NDManager ps = s.newSubManager()) {
                    NDArray working = params.get(e.getKey());
                    NDArray p = masters.get(e.getKey());
                    NDArray mm = m.get(e.getKey());
                    NDArray vv = v.get(e.getKey());
                    NDArray g = e.getValue();
                    g.attach(ps);
                    NDArray clipped = g.mul(clip);
                    try (NDArray t = clipped.mul(1 - b1)) {
                        mm.muli(b1).addi(t);
                    }
                    try (NDArray t = clipped.square()) {
                        vv.muli(b2).addi(t.muli(1 - b2));
                    }
                    clipped.close();
                    g.close();
                    NDArray update = mm.div(bc1);
                    update.attach(ps);
                    try (NDArray denom = vv.div(bc2); NDArray root = denom.sqrt()) {
                        update.divi(root.addi(settings.eps())).muli(lr);
                    }
                    if (settings.weightDecay() > 0) {
                        p.muli(1 - lr * settings.weightDecay());
                    }
                    p.subi(update.toType(p.getDataType(), false));
                    if (p != working) {
                        NdTensors.copyInto(working, p);
                    }
                }
            }
            zeroGradients();
            scaler.update(false);
            return new OptimizerStepResult(norm, lr, true);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    public void zeroGradients() {
        for (NDArray p : params.values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
