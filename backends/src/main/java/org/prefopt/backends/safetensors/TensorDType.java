package org.prefopt.backends.safetensors;

import java.util.Arrays;

/** The element types this project reads and writes (the ones LLM checkpoints use for weights). */
public enum TensorDType {
    F32(4),
    BF16(2),
    F16(2);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    static TensorDType parse(String text, String where) {
        for (TensorDType t : values()) {
            if (t.name().equals(text)) {
                return t;
            }
        }
        throw new SafetensorsFormatException(where + ": unsupported dtype '" + text + "' (supported: "
                + Arrays.toString(values()) + ")");
    }
}
