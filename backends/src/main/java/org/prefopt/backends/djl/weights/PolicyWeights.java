package org.prefopt.backends.djl.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prefopt.api.model.ScoringMode;
import org.prefopt.backends.djl.lora.LoraAdapters;
import org.prefopt.backends.djl.lora.LoraSettings;
import org.prefopt.backends.djl.model.ModelConfig;
import org.prefopt.backends.djl.model.NdTensors;
import org.prefopt.backends.djl.model.ProjectionAdapters;

/**
 * The arrays a policy computes with: the base weights (Hugging Face names), the LoRA adapters when it trains
 * adapters, the trainable view of them (the adapters' PEFT-named arrays under LoRA, the base weights under full
 * fine-tuning) and the reference that {@link ScoringMode#REFERENCE} scores with. Under LoRA the reference is the
 * base without adapters; under full fine-tuning it is a frozen copy of the base ({@code reference-copy}).
 */
public final class PolicyWeights {

    /** What one forward pass reads: weights by Hugging Face name, plus the adapters to add (or null). */
    public record View(Map<String, NDArray> weights, ProjectionAdapters adapters) {
    }

    private final String policyName;
    private final NDManager manager;
    private final Map<String, NDArray> base;
    private final LoraAdapters lora;
    private final Map<String, NDArray> trainable;
    private final boolean referenceCopy;
    private Map<String, NDArray> reference;
    private boolean baseMerged;

    private PolicyWeights(String policyName, NDManager manager, Map<String, NDArray> base, LoraAdapters lora,
                          Map<String, NDArray> trainable, boolean referenceCopy) {
        this.policyName = policyName;
        this.manager = manager;
        this.base = base;
        this.lora = lora;
        this.trainable = trainable;
        this.referenceCopy = referenceCopy;
    }

    /**
     * @param base          base weights (owned from now on, allocated under {@code manager})
     * @param lora          adapter settings, or null for full fine-tuning
     * @param loraAdapter   a PEFT adapter directory whose weights the adapters start from, or null
     * @param seed          seeds the adapters' initialisation
     * @param referenceCopy full fine-tuning: keep a frozen copy of the initial weights as the reference
     */
    public static PolicyWeights create(String policyName, NDManager manager, ModelConfig config,
                                       Map<String, NDArray> base, LoraSettings lora, Path loraAdapter, long seed,
                                       boolean referenceCopy) {
        LoraAdapters adapters = null;
        Map<String, NDArray> trainable;
        if (lora != null) {
            adapters = LoraAdapters.create(manager, config, lora, seed);
            if (loraAdapter != null) {
                adapters.loadWeights(loraAdapter.resolve(LoraAdapters.PEFT_WEIGHTS));
            }
            trainable = adapters.parameters();
        } else {
            trainable = new LinkedHashMap<>(base);
        }
        trainable.values().forEach(a -> a.setRequiresGradient(true));
        return new PolicyWeights(policyName, manager, base, adapters, trainable, referenceCopy);
    }

    /** The manager that owns every array here. */
    public NDManager manager() {
        return manager;
    }

    /** The base weights by Hugging Face name (under LoRA: without adapters, merged ones included). */
    public Map<String, NDArray> base() {
        return base;
    }

    /** The adapters, or null under full fine-tuning. */
    public LoraAdapters lora() {
        return lora;
    }

    /** The arrays the optimizer updates (PEFT names under LoRA, Hugging Face names under full fine-tuning). */
    public Map<String, NDArray> trainable() {
        return Collections.unmodifiableMap(trainable);
    }

    public long trainableParameterCount() {
        long n = 0;
        for (NDArray a : trainable.values()) {
            n += a.getShape().size();
        }
        return n;
    }

    /** The policy itself: the base weights plus the adapters. */
    public View policy() {
        return new View(base, lora);
    }

    /**
     * What {@code mode} scores with.
     *
     * @param updated whether the optimizer has stepped: before that the current weights are the reference
     */
    public View forScoring(ScoringMode mode, boolean updated) {
        return new View(weightsFor(mode, updated), mode == ScoringMode.REFERENCE ? null : lora);
    }

    private Map<String, NDArray> weightsFor(ScoringMode mode, boolean updated) {
        if (mode == ScoringMode.POLICY || lora != null) {
            return base;
        }
        if (reference != null) {
            return reference;
        }
        if (!updated) {
            return base; // nothing updated yet: the current weights are the reference
        }
        throw new IllegalStateException("REFERENCE scoring under full fine-tuning needs reference-copy = true "
                + "(a frozen copy of the initial weights); it is false for policy '" + policyName + "'");
    }

    /** Full fine-tuning with {@code reference-copy}: takes the frozen copy before the first update changes the base. */
    public void keepReferenceBeforeUpdate() {
        if (lora == null && referenceCopy && reference == null) {
            JniUtils.setGradMode(false);
            reference = copyOfBase();
        }
    }

    /**
     * Makes the current policy the reference. Under LoRA the adapters are folded into the base (the base is now
     * saved with the training state); under full fine-tuning the current weights are copied into the reference.
     * Full fine-tuning without a reference copy has no reference to move: REFERENCE scoring fails as before.
     *
     * @return true when adapters were folded into the base, so the optimizer's moments of them no longer apply
     */
    public boolean resetReference() {
        if (lora != null) {
            lora.mergeInto(base);
            baseMerged = true;
            return true;
        }
        if (referenceCopy) {
            if (reference == null) {
                reference = copyOfBase();
            } else {
                base.forEach((k, v) -> NdTensors.copyInto(reference.get(k), v));
            }
        }
        return false;
    }

    /** The frozen reference of full fine-tuning, or null when none was taken. */
    public Map<String, NDArray> reference() {
        return reference;
    }

    /** The reference to restore a saved one into: the existing one, or a fresh copy of the base. */
    public Map<String, NDArray> referenceToRestore() {
        if (reference == null) {
            reference = copyOfBase();
        }
        return reference;
    }

    /** Whether adapters were folded into the base, which then differs from the checkpoint the policy loaded. */
    public boolean baseMerged() {
        return baseMerged;
    }

    /** Records that the base was restored from a saved, merged one. */
    public void markBaseMerged() {
        baseMerged = true;
    }

    /** A detached copy of the base weights, owned by this manager (a full fine-tuning reference). */
    private Map<String, NDArray> copyOfBase() {
        Map<String, NDArray> copy = new LinkedHashMap<>();
        base.forEach((k, v) -> {
            NDArray c = v.duplicate();
            c.attach(manager);
            copy.put(k, c);
        });
        return copy;
    }
}
