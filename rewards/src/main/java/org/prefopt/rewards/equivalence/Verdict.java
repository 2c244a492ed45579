package org.prefopt.rewards.equivalence;

/**
 * The result of comparing an answer with the gold answer.
 *
 * @param equal  whether they denote the same answer
 * @param reason why
 * @param detail extra context for the note (may be empty)
 */
public record Verdict(boolean equal, Reason reason, String detail) {

    static Verdict yes(Reason reason) {
        return new Verdict(true, reason, "");
    }

    static Verdict no(Reason reason) {
        return new Verdict(false, reason, "");
    }

    static Verdict no(Reason reason, String detail) {
        return new Verdict(false, reason, detail);
    }

    public String note() {
        return detail.isEmpty() ? reason.description() : reason.description() + ": " + detail;
    }
}
