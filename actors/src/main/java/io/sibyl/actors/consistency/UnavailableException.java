package io.sibyl.actors.consistency;

import java.util.Objects;
import java.util.Optional;

/**
 * Too few live replicas for the consistency level, detected before anything was sent: nothing
 * was written. Maps to {@code UNAVAILABLE} (503) with {@code consistency}, {@code required},
 * {@code alive}.
 */
public final class UnavailableException extends RuntimeException {

    private final ConsistencyLevel consistency;
    private final int required;
    private final int alive;
    private final String dc;

    public UnavailableException(ConsistencyLevel consistency, int required, int alive) {
        this(consistency, required, alive, null);
    }

    /** For EACH_QUORUM: the data center that cannot reach its quorum. */
    public UnavailableException(ConsistencyLevel consistency, int required, int alive, String dc) {
        super("Cannot achieve consistency level " + consistency + (dc == null ? "" : " in DC " + dc)
                + ": " + required + " replica(s) required but only " + alive + " alive");
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.required = required;
        this.alive = alive;
        this.dc = dc;
    }

    public ConsistencyLevel consistency() {
        return consistency;
    }

    public int required() {
        return required;
    }

    public int alive() {
        return alive;
    }

    /** The data center that fell short, for EACH_QUORUM; empty otherwise. */
    public Optional<String> dc() {
        return Optional.ofNullable(dc);
    }
}
