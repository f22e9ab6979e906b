package io.sibyl.storage.schema;

import java.util.UUID;

/** A write or read named a table this node does not have (never created, or dropped). */
public final class UnknownTableException extends RuntimeException {

    private final UUID tableId;

    public UnknownTableException(UUID tableId) {
        super("unknown table " + tableId);
        this.tableId = tableId;
    }

    public UUID tableId() {
        return tableId;
    }
}
