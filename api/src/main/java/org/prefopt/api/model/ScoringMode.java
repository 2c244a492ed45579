package org.prefopt.api.model;

/** Which weights score a sequence. */
public enum ScoringMode {
    /** The current, trainable weights. */
    POLICY,
    /** The frozen reference: the base weights with LoRA adapters switched off, or a frozen copy. */
    REFERENCE
}
