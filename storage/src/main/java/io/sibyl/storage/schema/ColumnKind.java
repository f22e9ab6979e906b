package io.sibyl.storage.schema;

/** The role of a column in its table. */
public enum ColumnKind {
    PARTITION_KEY, CLUSTERING, STATIC, REGULAR;

    public boolean isPrimaryKey() {
        return this == PARTITION_KEY || this == CLUSTERING;
    }
}
