package org.prefopt.rewards.equivalence;

/** Why a comparison ended as it did. Each reason is counted by {@link EquivalenceStats}. */
public enum Reason {
    IDENTICAL("identical after normalisation"),
    EQUAL_AS_RATIONALS("equal as rationals"),
    DIFFERENT_NUMBERS("different numbers"),
    EQUAL_STRUCTURE("equal element by element"),
    DIFFERENT_STRUCTURE("different structure (kind, size, order or brackets)"),
    EQUAL_RELATION("equal relations (same direction; equal sides or equal difference of sides)"),
    EQUAL_SYMBOLICALLY("equal by the CAS (difference simplifies to 0)"),
    DIFFERENT_SYMBOLICALLY("not equal by the CAS"),
    DIFFERENT_TEXT("different text, not comparable as math"),
    EMPTY("empty answer"),
    TOO_LARGE("input over the size limit"),
    CAS_REJECTED("expression outside the CAS limits (size, nesting or exponent)"),
    CAS_PARSE_FAILURE("the CAS could not parse it"),
    CAS_TIMEOUT("CAS timed out"),
    CAS_BUSY("CAS queue full"),
    CAS_ERROR("CAS failed");

    private final String description;

    Reason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Reasons that mean "no" only because the check could not be completed. */
    public boolean isFailure() {
        return this == TOO_LARGE || this == CAS_REJECTED || this == CAS_PARSE_FAILURE || this == CAS_TIMEOUT
                || this == CAS_BUSY || this == CAS_ERROR;
    }
}
