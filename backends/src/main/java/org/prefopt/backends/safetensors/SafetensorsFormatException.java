package org.prefopt.backends.safetensors;

/** A safetensors file (or its shard index) is malformed; the message names the file and what is wrong. */
public class SafetensorsFormatException extends RuntimeException {

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
