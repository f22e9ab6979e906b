package io.sibyl.stress;

/** How one request ended, as the counters see it. */
public sealed interface Outcome {

    /** A 2xx answer that did what was asked: {@code rows} written or read, {@code emptyRead} for a read that found nothing. */
    record Success(int rows, boolean emptyRead) implements Outcome {
    }

    /** Anything else; {@code code} is docs/api.md's error code when the server sent one, else what went wrong. */
    record Failure(String code) implements Outcome {
    }
}
