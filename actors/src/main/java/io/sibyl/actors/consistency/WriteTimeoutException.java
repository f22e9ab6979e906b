package io.sibyl.actors.consistency;

import java.util.Objects;

/**
 * Too few acks before the write timeout; the write may or may not have applied on some
 * replicas. Maps to {@code WRITE_TIMEOUT} (504) with {@code consistency}, {@code received},
 * {@code block_for}, {@code write_type}.
 */
public final class WriteTimeoutException extends RuntimeException {

    private final ConsistencyLevel consistency;
    private final int received;
    private final int blockFor;
    private final WriteType writeType;

    public WriteTimeoutException(ConsistencyLevel consistency, int received, int blockFor, WriteType writeType) {
        super("Write timed out at consistency " + consistency + ": received " + received + " of " + blockFor
                + " required acks (write type " + writeType + ")");
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.received = received;
        this.blockFor = blockFor;
        this.writeType = Objects.requireNonNull(writeType, "writeType");
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

    public WriteType writeType() {
        return writeType;
    }
}
