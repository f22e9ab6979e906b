package io.sibyl.storage.schema;

import io.sibyl.storage.types.CqlType;

import java.util.Objects;

/**
 * One column of a table.
 *
 * @param position for key columns the index within the partition key or clustering; 0 otherwise
 * @param reversed for clustering columns, true when the table clusters it DESC
 */
public record ColumnMetadata(String name, CqlType type, ColumnKind kind, int position, boolean reversed) {

    public ColumnMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        if (reversed && kind != ColumnKind.CLUSTERING) {
            throw new IllegalArgumentException("only clustering columns have an order: " + name);
        }
        if (kind.isPrimaryKey() && type.isMultiCell()) {
            throw new IllegalArgumentException("a key column cannot be a non-frozen collection: " + name);
        }
    }

    /**
     * Columns key the per-row hash maps of the write path; the record's generated hash (over the type's
     * structure too) was 14% of ingest CPU. The name (its hash cached by String) and kind are enough:
     * equal columns have equal names and kinds.
     */
    @Override
    public int hashCode() {
        return name.hashCode() * 31 + kind.hashCode();
    }

    public static ColumnMetadata partitionKey(String name, CqlType type, int position) {
        return new ColumnMetadata(name, type, ColumnKind.PARTITION_KEY, position, false);
    }

    public static ColumnMetadata clustering(String name, CqlType type, int position, boolean reversed) {
        return new ColumnMetadata(name, type, ColumnKind.CLUSTERING, position, reversed);
    }

    public static ColumnMetadata regular(String name, CqlType type) {
        return new ColumnMetadata(name, type, ColumnKind.REGULAR, 0, false);
    }

    public static ColumnMetadata staticColumn(String name, CqlType type) {
        return new ColumnMetadata(name, type, ColumnKind.STATIC, 0, false);
    }

    public boolean isStatic() {
        return kind == ColumnKind.STATIC;
    }

    public boolean isPrimaryKey() {
        return kind.isPrimaryKey();
    }
}
