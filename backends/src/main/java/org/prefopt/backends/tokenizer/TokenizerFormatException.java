package org.prefopt.backends.tokenizer;

/** A tokenizer file that is missing or malformed; the message names the file and what is wrong. */
public final class TokenizerFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
