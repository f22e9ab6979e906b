package io.sibyl.storage.schema;

import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.types.CqlType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The schema of one table. Immutable; ALTERs produce a new instance with the same id. Cells name
 * their column, so the data stays valid across ADD/DROP: {@link #isVisible} decides on read which
 * cells still belong to a column of the table.
 */
public final class TableMetadata {

    private final String keyspace;
    private final String name;
    private final UUID id;
    private final List<ColumnMetadata> columns;
    private final TableParams params;
    private final Map<String, ColumnMetadata> byName = new LinkedHashMap<>();
    private final List<ColumnMetadata> partitionKey;
    private final List<ColumnMetadata> clustering;
    private final List<ColumnMetadata> statics;
    private final List<ColumnMetadata> regulars;
    private final ClusteringComparator clusteringComparator;
    /** Columns by the hash of their ASCII names, open addressing (null slots empty); non-ASCII names are left out. */
    private final ColumnMetadata[] byAsciiName;
    private final byte[][] asciiNames;

    public TableMetadata(String keyspace, String name, UUID id, List<ColumnMetadata> columns, TableParams params) {
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.name = Objects.requireNonNull(name, "name");
        this.id = Objects.requireNonNull(id, "id");
        this.columns = List.copyOf(columns);
        this.params = Objects.requireNonNull(params, "params");
        for (ColumnMetadata c : this.columns) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate column " + c.name() + " in " + keyspace + "." + name);
            }
        }
        this.partitionKey = ofKind(ColumnKind.PARTITION_KEY);
        this.clustering = ofKind(ColumnKind.CLUSTERING);
        this.statics = ofKind(ColumnKind.STATIC);
        this.regulars = ofKind(ColumnKind.REGULAR);
        if (partitionKey.isEmpty()) {
            throw new IllegalArgumentException(keyspace + "." + name + " needs a partition key");
        }
        checkPositions(partitionKey);
        checkPositions(clustering);
        if (!statics.isEmpty() && clustering.isEmpty()) {
            throw new IllegalArgumentException("static columns need clustering columns in " + keyspace + "." + name);
        }
        List<CqlType> types = new ArrayList<>();
        List<Boolean> reversed = new ArrayList<>();
        for (ColumnMetadata c : clustering) {
            types.add(c.type());
            reversed.add(c.reversed());
        }
        this.clusteringComparator = new ClusteringComparator(types, reversed);
        int slots = Integer.highestOneBit(Math.max(4, this.columns.size() * 4) - 1) << 1;
        this.byAsciiName = new ColumnMetadata[slots];
        this.asciiNames = new byte[slots][];
        for (ColumnMetadata c : this.columns) {
            if (c.name().chars().allMatch(ch -> ch < 0x80)) {
                byte[] ascii = c.name().getBytes(StandardCharsets.US_ASCII);
                int i = asciiHash(ascii, 0, ascii.length) & (slots - 1);
                while (byAsciiName[i] != null) {
                    i = (i + 1) & (slots - 1);
                }
                byAsciiName[i] = c;
                asciiNames[i] = ascii;
            }
        }
    }

    private static int asciiHash(byte[] b, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private List<ColumnMetadata> ofKind(ColumnKind kind) {
        List<ColumnMetadata> l = new ArrayList<>();
        for (ColumnMetadata c : columns) {
            if (c.kind() == kind) {
                l.add(c);
            }
        }
        if (kind.isPrimaryKey()) {
            l.sort(Comparator.comparingInt(ColumnMetadata::position));
        }
        return List.copyOf(l);
    }

    private void checkPositions(List<ColumnMetadata> key) {
        for (int i = 0; i < key.size(); i++) {
            if (key.get(i).position() != i) {
                throw new IllegalArgumentException("key column positions must be 0.." + (key.size() - 1)
                        + " in " + keyspace + "." + name);
            }
        }
    }

    public String keyspace() {
        return keyspace;
    }

    public String name() {
        return name;
    }

    public UUID id() {
        return id;
    }

    public List<ColumnMetadata> columns() {
        return columns;
    }

    public TableParams params() {
        return params;
    }

    public List<ColumnMetadata> partitionKeyColumns() {
        return partitionKey;
    }

    public List<ColumnMetadata> clusteringColumns() {
        return clustering;
    }

    public List<ColumnMetadata> staticColumns() {
        return statics;
    }

    public List<ColumnMetadata> regularColumns() {
        return regulars;
    }

    /** The column named {@code name}, or null. */
    public ColumnMetadata column(String name) {
        return byName.get(name);
    }

    /**
     * The column named by the ASCII bytes {@code name[offset, offset + length)}, or null: {@link #column(String)}
     * for a reader that has the name as bytes (a JSON row), without making a String of it.
     */
    public ColumnMetadata columnByAsciiName(byte[] name, int offset, int length) {
        int mask = byAsciiName.length - 1;
        for (int i = asciiHash(name, offset, length) & mask; byAsciiName[i] != null; i = (i + 1) & mask) {
            byte[] candidate = asciiNames[i];
            if (candidate.length == length && Arrays.equals(candidate, 0, length, name, offset, offset + length)) {
                return byAsciiName[i];
            }
        }
        return null;
    }

    public ClusteringComparator clusteringComparator() {
        return clusteringComparator;
    }

    public boolean hasStaticColumns() {
        return !statics.isEmpty();
    }

    /**
     * True if a cell of {@code column} written at {@code timestamp} belongs to the table: the column is a
     * current non-key column and the cell is newer than any drop of a column of that name.
     */
    public boolean isVisible(String column, long timestamp) {
        ColumnMetadata c = byName.get(column);
        if (c == null || c.isPrimaryKey()) {
            return false;
        }
        Long dropped = params.droppedColumns().get(column);
        return dropped == null || timestamp > dropped;
    }

    public TableMetadata withParams(TableParams newParams) {
        return new TableMetadata(keyspace, name, id, columns, newParams);
    }

    /** ALTER TABLE ADD: only regular and static columns can be added. */
    public TableMetadata withColumnAdded(ColumnMetadata column) {
        if (column.isPrimaryKey()) {
            throw new IllegalArgumentException("cannot add primary key column " + column.name());
        }
        if (byName.containsKey(column.name())) {
            throw new IllegalArgumentException("column " + column.name() + " already exists in " + keyspace + "." + name);
        }
        List<ColumnMetadata> cols = new ArrayList<>(columns);
        cols.add(column);
        return new TableMetadata(keyspace, name, id, cols, params);
    }

    /** ALTER TABLE DROP at {@code timestampMicros}: its existing cells become invisible. */
    public TableMetadata withColumnDropped(String column, long timestampMicros) {
        ColumnMetadata c = byName.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no column " + column + " in " + keyspace + "." + name);
        }
        if (c.isPrimaryKey()) {
            throw new IllegalArgumentException("cannot drop primary key column " + column);
        }
        List<ColumnMetadata> cols = new ArrayList<>(columns);
        cols.remove(c);
        return new TableMetadata(keyspace, name, id, cols, params.withDroppedColumn(column, timestampMicros));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableMetadata t && keyspace.equals(t.keyspace) && name.equals(t.name) && id.equals(t.id)
                && columns.equals(t.columns) && params.equals(t.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyspace, name, id, columns, params);
    }

    @Override
    public String toString() {
        return keyspace + "." + name + "(" + id + ")";
    }
}
