package org.prefopt.backends.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.prefopt.backends.djl.model.ProjectionAdapters;
import org.prefopt.backends.djl.model.Batch;
import org.prefopt.backends.djl.model.Decoder;

/**
 * The decoder below the output layer in a training step: its forward pass, then back-propagation of a gradient
 * of its (selected) final hidden states into the trainable weights.
 *
 * <p>Two ways, with the same gradients: {@link #kept} records one autograd graph over all layers, which holds every
 * layer's activations until the backward pass; {@link #recomputed} is gradient (activation) checkpointing as
 * in Hugging Face's {@code gradient_checkpointing}: the forward pass runs without a graph and keeps only each
 * layer's input, and the backward pass re-runs one layer at a time with a graph, from the last layer down, so
 * at most one layer's activations are held at once, for about one more forward pass of compute. LoRA dropout
 * draws the same masks in both passes because its seed is keyed by module ({@link org.prefopt.backends.djl.lora.LoraAdapters#seedDropout}).
 */
public abstract sealed class TrunkPass permits TrunkPass.Kept, TrunkPass.Recomputed {

    /**
     * Runs the forward pass with a graph over all layers.
     *
     * @param select picks the hidden states the loss depends on, e.g. the positions that predict completions
     */
    static TrunkPass kept(Decoder decoder, Map<String, NDArray> w, ProjectionAdapters lora, Batch batch,
                          UnaryOperator<NDArray> select) {
        JniUtils.setGradMode(true);
        return new Kept(select.apply(decoder.forward(w, lora, true, batch, null)));
    }

    /** Runs the forward pass without a graph, keeping each layer's input in {@code manager}. */
    static TrunkPass recomputed(Decoder decoder, Map<String, NDArray> w, ProjectionAdapters lora, Batch batch,
                                NDManager manager, UnaryOperator<NDArray> select) {
        JniUtils.setGradMode(false);
        List<NDArray> inputs = new ArrayList<>();
        NDArray out = select.apply(decoder.forwardReleasing(w, lora, true, batch, manager, inputs));
        return new Recomputed(decoder, w, lora, batch, manager, select, inputs, out);
    }

    private final NDArray output;

    private TrunkPass(NDArray output) {
        this.output = output;
    }

    /** The selected final hidden states; the caller detaches them before differentiating the output layer. */
    final NDArray output() {
        return output;
    }

    /**
     * Accumulates into {@code .grad} of the trainable weights the gradient {@code dOutput} of the output, and, when
     * {@code head} is not null, {@code dHead} into the output layer's weight (computed by hand by the caller; with
     * tied embeddings it adds to the embedding's gradient).
     */
    abstract void backward(NDArray dOutput, NDArray head, NDArray dHead);

    /** Autograd from {@code target} with upstream gradient {@code grad} (grad mode must be on). */
    static void backpropagate(NDArray target, NDArray grad) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) grad, false, false);
    }

    static final class Kept extends TrunkPass {

        private Kept(NDArray output) {
            super(output);
        }

        /**
         * One backward pass through the surrogate {@code Σ output·dOutput (+ Σ head·dHead)}, which has exactly the
         * wanted gradients; one pass keeps tied-embedding gradients summed in one order from run to run.
         */
        @Override
        void backward(NDArray dOutput, NDArray head, NDArray dHead) {
            JniUtils.setGradMode(true);
            NDArray surrogate = output().mul(dOutput).sum();
            if (head != null) {
                surrogate = surrogate.add(head.mul(dHead).sum().toType(surrogate.getDataType(), false));
            }
            backpropagate(surrogate, surrogate.onesLike());
        }
    }

    static final class Recomputed extends TrunkPass {
        private final Decoder decoder;
        private final Map<String, NDArray> w;
        private final ProjectionAdapters lora;
        private final Batch batch;
        private final NDManager manager;
        private final UnaryOperator<NDArray> select;
        private final List<NDArray> inputs;

        private Recomputed(Decoder decoder, Map<String, NDArray> w, ProjectionAdapters lora, Batch batch,
                           NDManager manager, UnaryOperator<NDArray> select, List<NDArray> inputs,
                           NDArray output) {
            super(output);
            this.decoder = decoder;
            this.w = w;
            this.lora = lora;
            this.batch = batch;
            this.manager = manager;
            this.select = select;
            this.inputs = inputs;
        }

        @Override
        void backward(NDArray dOutput, NDArray head, NDArray dHead) {
            JniUtils.setGradMode(true);
            Decoder.Rotary rotary = decoder.rotary(batch);
            int layers = decoder.config().numLayers();
            NDArray dx = segment(inputs.get(layers), dOutput, x -> select.apply(decoder.finalNorm(w, x)));
            for (int l = layers - 1; l >= 0; l--) {
                int layer = l;
                NDArray dIn = segment(inputs.get(l), dx,
                        x -> decoder.layer(layer, w, lora, true, x, rotary, batch.mask(), null));
                dx.close();
                dx = dIn;
            }
            NDArray embedding = w.get(Decoder.EMBEDDING);
            if (embedding.hasGradient()) {
                backpropagate(decoder.embed(w, batch), dx);
            }
            dx.close();
            if (head != null) {
                backpropagate(head, dHead); // from a leaf: adds dHead to its .grad
            }
        }

        /**
         * Re-runs one segment from its saved input with a graph, back-propagates {@code dOut} through it and
         * returns the gradient of its input (owned by the pass's manager); the segment's activations and its
         * saved input are released.
         */
        private NDArray segment(NDArray input, NDArray dOut, UnaryOperator<NDArray> segment) {
            try (NDManager scope = manager.newSubManager()) {
                input.tempAttach(scope);
                input.setRequiresGradient(true);
                backpropagate(segment.apply(input), dOut);
                NDArray dIn = input.getGradient();
                dIn.attach(manager);
                input.close();
                return dIn;
            }
        }
    }
}
