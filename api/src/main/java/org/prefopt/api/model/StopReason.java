package org.prefopt.api.model;

/** Why a generated sequence ended. */
public enum StopReason {
    /** An end-of-sequence token was produced (it is included in the tokens). */
    EOS,
    /** The text reached one of the stop strings. */
    STOP_STRING,
    /** {@code maxNewTokens} was reached: the completion is truncated. */
    LENGTH
}
