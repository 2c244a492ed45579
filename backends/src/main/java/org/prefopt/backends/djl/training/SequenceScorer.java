package org.prefopt.backends.djl.training;

import org.prefopt.backends.djl.model.NdTensors;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prefopt.api.model.LossGradients;
import org.prefopt.api.model.PolicyModel.AccumulationResult;
import org.prefopt.api.model.SequenceScores;
import org.prefopt.api.model.TokenLoss;
import org.prefopt.api.model.TokenSequence;
import org.prefopt.backends.djl.model.ProjectionAdapters;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.Decoder;

/**
 * Per-token log-probs of completions, and the gradient of a {@link TokenLoss} through them.
 *
 * <p>The output layer is differentiated by hand, chunk by chunk, because its (tokens × vocab) logits dominate
 * memory: for {@code L = Σ g·logp(target) + Σ e·H}, {@code dL/dz = g·(onehot − p) − e·p·(log p + H)}. The
 * resulting {@code dL/dh} (and {@code dL/dW} when the head is trainable) is pushed through the rest of the
 * network with PyTorch autograd ({@link TrunkPass}). With {@code chunkTokens > 0} the log-softmax is recomputed per chunk in the backward pass instead
 * of being kept, bounding memory by {@code chunkTokens × vocab} floats. With gradient checkpointing the layers
 * below are recomputed too ({@link TrunkPass}).
 */
public final class SequenceScorer {

    private final Decoder decoder;
    private final NDManager root;
    private final int chunkTokens;
    private final boolean gradientCheckpointing;

    /**
     * @param chunkTokens           &gt; 0: the output layer runs in chunks of about this many tokens and is
     *                              recomputed in the backward pass
     * @param gradientCheckpointing keep only each layer's input in the forward pass and re-run layers one at a
     *                              time in the backward pass ({@link TrunkPass#recomputed})
     */
    public SequenceScorer(Decoder decoder, NDManager root, int chunkTokens, boolean gradientCheckpointing) {
        this.decoder = decoder;
        this.root = root;
        this.chunkTokens = chunkTokens;
        this.gradientCheckpointing = gradientCheckpointing;
    }

    /** @param inverseTemperatures 1 / temperature per row, or null when every sequence is at temperature 1 */
    private record Prepared(Batch batch, int width, long[] targets, int[] completionLengths,
                            float[] inverseTemperatures) {
    }

    private Prepared prepare(NDManager m, List<TokenSequence> seqs) {
        int[][] full = new int[seqs.size()][];
        int[] comp = new int[seqs.size()];
        int width = 1;
        for (int i = 0; i < full.length; i++) {
            TokenSequence s = seqs.get(i);
            if (s.promptTokens().length == 0) {
                throw new IllegalArgumentException("sequence " + i + " has an empty prompt; the first completion "
                        + "token needs at least one prompt token to be predicted from");
            }
            full[i] = new int[s.promptTokens().length + s.completionTokens().length];
            System.arraycopy(s.promptTokens(), 0, full[i], 0, s.promptTokens().length);
            System.arraycopy(s.completionTokens(), 0, full[i], s.promptTokens().length, s.completionTokens().length);
            comp[i] = s.completionTokens().length;
            width = Math.max(width, comp[i]);
        }
        long[] targets = new long[full.length * width];
        for (int i = 0; i < full.length; i++) {
            int[] c = seqs.get(i).completionTokens();
            for (int j = 0; j < c.length; j++) {
                targets[i * width + width - c.length + j] = c[j];
            }
        }
        float[] inv = null;
        for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i).temperature() != 1.0) {
                inv = new float[seqs.size()];
                for (int k = 0; k < inv.length; k++) {
                    inv[k] = (float) (1.0 / seqs.get(k).temperature());
                }
                break;
            }
        }
        return new Prepared(Batch.leftPadded(m, full), width, targets, comp, inv);
    }

    /** Hidden states that predict the completion tokens: (batch, width, hidden), completions right-aligned. */
    private static NDArray predictorStates(NDArray hidden, Prepared p) {
        int len = p.batch().paddedLength();
        return hidden.get(":, " + (len - p.width() - 1) + ":" + (len - 1) + ", :");
    }

    private int chunkWidth(int rows, int width) {
        return chunkTokens <= 0 ? width : Math.max(1, Math.min(width, chunkTokens / Math.max(1, rows)));
    }

    /** Scores without gradients. */
    public List<SequenceScores> score(Map<String, NDArray> w, ProjectionAdapters lora, List<TokenSequence> seqs,
                                      boolean withEntropy) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        JniUtils.setGradMode(false);
        try (NDManager m = root.newSubManager()) {
            Prepared p = prepare(m, seqs);
            NDArray hs = predictorStates(decoder.forwardReleasing(w, lora, false, p.batch(), m, null), p);
            NDArray targets = NdTensors.owned(m.create(p.targets(), new Shape(seqs.size(), p.width())));
            HeadPass head = headForward(w, hs, targets, inverseTemperatures(m, p), withEntropy, false, m);
            return unpack(p, head.tokenLogp.toFloatArray(), withEntropy ? head.entropy.toFloatArray() : null);
        }
    }

    private static final class HeadPass {
        NDArray tokenLogp;
        NDArray entropy;
        List<NDArray> logpChunks = new ArrayList<>();
    }

    /** (rows, 1, 1) factors that turn logits into logits / temperature, or null at temperature 1. */
    private static NDArray inverseTemperatures(NDManager m, Prepared p) {
        float[] inv = p.inverseTemperatures();
        return inv == null ? null : NdTensors.owned(m.create(inv, new Shape(inv.length, 1, 1)));
    }

    /** Float32 log-softmax of {@code logits / temperature} for a chunk of hidden states. */
    private static NDArray logProbs(NDArray h, NDArray head, NDArray invT) {
        NDArray logits = Linear.linear(h, head, null).singletonOrThrow().toType(DataType.FLOAT32, false);
        return (invT == null ? logits : logits.mul(invT)).logSoftmax(-1);
    }

    /**
     * A chunk's slice of {@code a} moved into {@code scope}, so that everything computed from it (it is always the
     * first operand) is released with the scope: without autograd nothing else frees the (chunk × vocab) arrays,
     * and the chunks would add up to the whole output layer.
     */
    private static NDArray sliceInto(NDManager scope, NDArray a, String index) {
        NDArray slice = a.get(index);
        slice.attach(scope);
        return slice;
    }

    /** Moves {@code a} out of a chunk's scope into {@code m}, and returns it. */
    private static NDArray keepIn(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    private HeadPass headForward(Map<String, NDArray> w, NDArray hs, NDArray targets, NDArray invT,
                                 boolean withEntropy, boolean keep, NDManager m) {
        int rows = (int) hs.getShape().get(0);
        int width = (int) hs.getShape().get(1);
        int step = chunkWidth(rows, width);
        HeadPass out = new HeadPass();
        List<NDArray> tok = new ArrayList<>();
        List<NDArray> ent = new ArrayList<>();
        NDArray head = w.get(Decoder.headName(decoder.config()));
        for (int s = 0; s < width; s += step) {
            int e = Math.min(width, s + step);
            try (NDManager scope = m.newSubManager()) {
                NDArray logp = logProbs(sliceInto(scope, hs, ":, " + s + ":" + e + ", :"), head, invT);
                tok.add(keepIn(m, logp.gather(targets.get(":, " + s + ":" + e).expandDims(-1), -1).squeeze(-1)));
                if (withEntropy) {
                    ent.add(keepIn(m, logp.exp().mul(logp).sum(new int[] {-1}).neg()));
                }
                if (keep) {
                    out.logpChunks.add(keepIn(m, logp));
                }
            }
        }
        out.tokenLogp = concat(tok);
        out.entropy = withEntropy ? concat(ent) : null;
        return out;
    }

    private static NDArray concat(List<NDArray> parts) {
        NDArray r = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            r = r.concat(parts.get(i), 1);
        }
        return r;
    }

    private static List<SequenceScores> unpack(Prepared p, float[] logp, float[] entropy) {
        List<SequenceScores> out = new ArrayList<>();
        int width = p.width();
        for (int i = 0; i < p.completionLengths().length; i++) {
            int c = p.completionLengths()[i];
            int from = i * width + width - c;
            float[] lp = java.util.Arrays.copyOfRange(logp, from, from + c);
            float[] en = entropy == null ? null : java.util.Arrays.copyOfRange(entropy, from, from + c);
            out.add(new SequenceScores(lp, en));
        }
        return out;
    }

    /**
     * Forward with gradients, loss evaluation on detached scores, and back-propagation into {@code .grad} of the
     * trainable arrays (accumulating over calls).
     *
     * @param headTrainable whether the output projection is a trainable array (full fine-tuning)
     */
    public AccumulationResult accumulate(Map<String, NDArray> w, ProjectionAdapters lora, List<TokenSequence> seqs,
                                         TokenLoss loss, boolean withEntropy, boolean headTrainable) {
        return accumulate(w, lora, seqs, loss, withEntropy, headTrainable, 1.0);
    }

    /**
     * {@link #accumulate(Map, ProjectionAdapters, List, TokenLoss, boolean, boolean)} with the loss gradient
     * multiplied by {@code lossScale} (dynamic loss scaling: the optimizer divides it out); the reported loss is
     * unscaled.
     */
    public AccumulationResult accumulate(Map<String, NDArray> w, ProjectionAdapters lora, List<TokenSequence> seqs,
                                         TokenLoss loss, boolean withEntropy, boolean headTrainable,
                                         double lossScale) {
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("accumulateGradients needs at least one sequence");
        }
        try (NDManager m = root.newSubManager();
             // holds grad mode on, and DJL's guard against two collectors at once
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            Prepared p = prepare(m, seqs);
            TrunkPass trunk = gradientCheckpointing
                    ? TrunkPass.recomputed(decoder, w, lora, p.batch(), m, hidden -> predictorStates(hidden, p))
                    : TrunkPass.kept(decoder, w, lora, p.batch(), hidden -> predictorStates(hidden, p));
            NDArray targets = NdTensors.owned(m.create(p.targets(), new Shape(seqs.size(), p.width())));
            int rows = seqs.size();
            int width = p.width();
            boolean keep = chunkTokens <= 0;
            JniUtils.setGradMode(false);
            NDArray detached = trunk.output().stopGradient();
            NDArray invT = inverseTemperatures(m, p);
            HeadPass head = headForward(w, detached, targets, invT, withEntropy, keep, m);
            List<SequenceScores> scores = unpack(p, head.tokenLogp.toFloatArray(),
                    withEntropy ? head.entropy.toFloatArray() : null);
            LossGradients grads = loss.evaluate(scores);
            check(grads, scores, withEntropy);
            float[] g = scaled(pack(p, grads.logprobGradients()), lossScale);
            float[] ge = grads.entropyGradients() == null ? null
                    : scaled(pack(p, grads.entropyGradients()), lossScale);
            NDArray gArr = NdTensors.owned(m.create(g, new Shape(rows, width)));
            NDArray geArr = ge == null ? null : NdTensors.owned(m.create(ge, new Shape(rows, width)));
            NDArray headW = w.get(Decoder.headName(decoder.config()));
            int vocab = (int) headW.getShape().get(0);
            int step = chunkWidth(rows, width);
            List<NDArray> dh = new ArrayList<>();
            NDArray dW = null;
            for (int s = 0, c = 0; s < width; s += step, c++) {
                int e = Math.min(width, s + step);
                String cols = ":, " + s + ":" + e;
                try (NDManager scope = m.newSubManager()) {
                    NDArray h = sliceInto(scope, detached, cols + ", :");
                    NDArray logp = keep ? head.logpChunks.get(c) : logProbs(h, headW, invT);
                    if (keep) {
                        logp.attach(scope); // used for the last time here
                    }
                    NDArray prob = logp.exp();
                    NDArray dz = sliceInto(scope, targets, cols).oneHot(vocab).toType(DataType.FLOAT32, false)
                            .sub(prob).mul(gArr.get(cols).expandDims(-1));
                    if (geArr != null) {
                        NDArray ent = head.entropy.get(cols).expandDims(-1);
                        dz = dz.sub(prob.mul(logp.add(ent)).mul(geArr.get(cols).expandDims(-1)));
                    }
                    if (invT != null) {
                        dz = dz.mul(invT); // chain rule through logits / temperature
                    }
                    NDArray dzTyped = dz.toType(headW.getDataType(), false);
                    dh.add(keepIn(m, dzTyped.matMul(headW)));
                    if (headTrainable) {
                        NDArray part = dz.reshape(-1, vocab).transpose()
                                .matMul(h.reshape(-1, h.getShape().get(2)).toType(DataType.FLOAT32, false));
                        if (dW == null) {
                            dW = keepIn(m, part);
                        } else {
                            dW.addi(part);
                        }
                    }
                }
            }
            trunk.backward(concat(dh), headTrainable ? headW : null,
                    headTrainable ? dW.toType(headW.getDataType(), false) : null);
            return new AccumulationResult(grads.loss(), scores);
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    private static void check(LossGradients grads, List<SequenceScores> scores, boolean withEntropy) {
        if (grads.logprobGradients() == null || grads.logprobGradients().size() != scores.size()) {
            throw new IllegalStateException("TokenLoss returned " + (grads.logprobGradients() == null ? "no"
                    : grads.logprobGradients().size()) + " log-prob gradient arrays for " + scores.size()
                    + " sequences");
        }
        if (grads.entropyGradients() != null && !withEntropy) {
            throw new IllegalStateException("TokenLoss returned entropy gradients but entropies were not requested");
        }
        for (int i = 0; i < scores.size(); i++) {
            int n = scores.get(i).logprobs().length;
            if (grads.logprobGradients().get(i).length != n || (grads.entropyGradients() != null
                    && grads.entropyGradients().get(i).length != n)) {
                throw new IllegalStateException("TokenLoss gradient of sequence " + i + " has the wrong length "
                        + "(expected " + n + " completion tokens)");
            }
        }
    }

    /** In float32, as the scaled loss's gradient: an inf here is an overflow the scaler handles like any other. */
    private static float[] scaled(float[] g, double scale) {
        if (scale != 1.0) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (g[i] * scale);
            }
        }
        return g;
    }

    private static float[] pack(Prepared p, List<float[]> perSequence) {
        int width = p.width();
        float[] out = new float[p.completionLengths().length * width];
        for (int i = 0; i < perSequence.size(); i++) {
            float[] g = perSequence.get(i);
            System.arraycopy(g, 0, out, i * width + width - g.length, g.length);
        }
        return out;
    }
}
