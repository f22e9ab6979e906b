package io.sibyl.verify.checker;

/** A checker's answer: the history is valid, is not (with a counter-example), or the search ran out of time. */
public enum Verdict {
    VALID, INVALID, UNKNOWN;

    /** The worse of two verdicts: INVALID over UNKNOWN over VALID. */
    public Verdict and(Verdict other) {
        return this.ordinal() >= other.ordinal() ? this : other;
    }
}
