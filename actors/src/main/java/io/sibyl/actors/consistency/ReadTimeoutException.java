package io.sibyl.actors.consistency;

import java.util.Objects;

/**
 * Too few answers before the read timeout. Maps to {@code READ_TIMEOUT} (504) with
 * {@code consistency}, {@code received}, {@code block_for}, {@code data_present} (whether the
 * replica asked for full data, not just a digest, was among those that answered).
 */
public final class ReadTimeoutException extends RuntimeException {

    private final ConsistencyLevel consistency;
    private final int received;
    private final int blockFor;
    private final boolean dataPresent;

    public ReadTimeoutException(ConsistencyLevel consistency, int received, int blockFor, boolean dataPresent) {
        super("Read timed out at consistency " + consistency + ": received " + received + " of " + blockFor
                + " required responses" + (received > 0 ? (dataPresent ? " (data present)" : " (data not present)") : ""));
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.received = received;
        this.blockFor = blockFor;
        this.dataPresent = dataPresent;
    }

    public ConsistencyLevel consistency() {
        return consistency;
    }

    public int received() {
        return received;
    }

    public int blockFor() {
        return blockFor;
    }

    public boolean dataPresent() {
        return dataPresent;
    }
}
