package io.sibyl.storage.data;

import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything written to (or read unfiltered from) one partition of one table: the partition
 * deletion, range tombstones, the static row and rows in clustering order. The unit of writes, of
 * commit-log records, of memtable merges and of unfiltered read results. Immutable.
 */
public final class PartitionUpdate {

    private final TableMetadata metadata;
    private final DecoratedKey key;
    private final DeletionTime partitionDeletion;
    private final RangeTombstoneList rangeTombstones;
    private final Row staticRow;
    private final List<Row> rows;
    // Every write asks for these two or three times (size check, commit-log record, memtable): computed once,
    // with the constructor's walk over the rows, instead of walking every cell on each ask.
    private final long dataSize;
    private final long minTimestamp;
    private final long maxTimestamp;

    /**
     * @param rows sorted by the table's clustering order with distinct clusterings (use {@link #builder}
     *             to build from rows in any order)
     */
    public PartitionUpdate(TableMetadata metadata, DecoratedKey key, DeletionTime partitionDeletion,
                           List<RangeTombstone> rangeTombstones, Row staticRow, List<Row> rows) {
        this(metadata, key, partitionDeletion,
                RangeTombstoneList.of(metadata.clusteringComparator(), rangeTombstones), staticRow, rows);
    }

    public PartitionUpdate(TableMetadata metadata, DecoratedKey key, DeletionTime partitionDeletion,
                           RangeTombstoneList rangeTombstones, Row staticRow, List<Row> rows) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.key = Objects.requireNonNull(key, "key");
        this.partitionDeletion = Objects.requireNonNull(partitionDeletion, "partitionDeletion");
        this.rangeTombstones = Objects.requireNonNull(rangeTombstones, "rangeTombstones");
        this.staticRow = staticRow == null ? Row.empty(Clustering.STATIC) : staticRow;
        this.rows = List.copyOf(rows);
        if (!this.staticRow.isStatic()) {
            throw new IllegalArgumentException("the static row must have the STATIC clustering");
        }
        ClusteringComparator cmp = metadata.clusteringComparator();
        for (int i = 0; i < this.rows.size(); i++) {
            Row r = this.rows.get(i);
            if (r.isStatic()) {
                throw new IllegalArgumentException("the static row does not go among the rows");
            }
            cmp.validate(r.clustering());
            if (i > 0 && cmp.compare(this.rows.get(i - 1).clustering(), r.clustering()) >= 0) {
                throw new IllegalArgumentException("rows must be sorted with distinct clusterings");
            }
        }
        this.dataSize = computeDataSize();
        this.minTimestamp = computeMinTimestamp();
        this.maxTimestamp = computeMaxTimestamp();
    }

    public static Builder builder(TableMetadata metadata, DecoratedKey key) {
        return new Builder(metadata, key);
    }

    /** An update deleting the whole partition. */
    public static PartitionUpdate partitionDeletion(TableMetadata metadata, DecoratedKey key, DeletionTime deletion) {
        return builder(metadata, key).deletePartition(deletion).build();
    }

    public TableMetadata metadata() {
        return metadata;
    }

    public UUID tableId() {
        return metadata.id();
    }

    public DecoratedKey key() {
        return key;
    }

    public DeletionTime partitionDeletion() {
        return partitionDeletion;
    }

    public List<RangeTombstone> rangeTombstones() {
        return rangeTombstones.ranges();
    }

    /** The range tombstones in canonical form. */
    public RangeTombstoneList rangeTombstoneList() {
        return rangeTombstones;
    }

    /** The static row; an empty row with the STATIC clustering when there is none. */
    public Row staticRow() {
        return staticRow;
    }

    public List<Row> rows() {
        return rows;
    }

    /** No deletion, no range tombstone, no row. */
    public boolean isEmpty() {
        return partitionDeletion.isLive() && rangeTombstones.isEmpty() && staticRow.isEmpty() && rows.isEmpty();
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    public long minTimestamp() {
        return minTimestamp;
    }

    private long computeMaxTimestamp() {
        long max = Math.max(partitionDeletion.markedForDeleteAt(), rangeTombstones.maxTimestamp());
        max = Math.max(max, staticRow.maxTimestamp());
        for (int i = 0, n = rows.size(); i < n; i++) {
            max = Math.max(max, rows.get(i).maxTimestamp());
        }
        return max;
    }

    private long computeMinTimestamp() {
        long min = partitionDeletion.isLive() ? Long.MAX_VALUE : partitionDeletion.markedForDeleteAt();
        if (!rangeTombstones.isEmpty()) {
            for (RangeTombstone rt : rangeTombstones.ranges()) {
                min = Math.min(min, rt.deletion().markedForDeleteAt());
            }
        }
        min = Math.min(min, staticRow.minTimestamp());
        for (int i = 0, n = rows.size(); i < n; i++) {
            min = Math.min(min, rows.get(i).minTimestamp());
        }
        return min;
    }

    /** An estimate of the bytes the update holds (the mutation size check's first look). */
    public long dataSize() {
        return dataSize;
    }

    private long computeDataSize() {
        long size = key.key().length + 24L + rangeTombstones.size() * 48L + staticRow.dataSize();
        for (int i = 0, n = rows.size(); i < n; i++) {
            size += rows.get(i).dataSize();
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionUpdate p && metadata.id().equals(p.metadata.id()) && key.equals(p.key)
                && partitionDeletion.equals(p.partitionDeletion) && rangeTombstones.equals(p.rangeTombstones)
                && staticRow.equals(p.staticRow) && rows.equals(p.rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, partitionDeletion, rows);
    }

    @Override
    public String toString() {
        return "PartitionUpdate(" + metadata.keyspace() + "." + metadata.name() + ", " + key
                + (partitionDeletion.isLive() ? "" : ", partitionDeletion=" + partitionDeletion)
                + (rangeTombstones.isEmpty() ? "" : ", rangeTombstones=" + rangeTombstones)
                + (staticRow.isEmpty() ? "" : ", static=" + staticRow) + ", rows=" + rows + ")";
    }

    /** Collects rows in any order, merging rows with the same clustering. */
    public static final class Builder {
        private final TableMetadata metadata;
        private final DecoratedKey key;
        private DeletionTime partitionDeletion = DeletionTime.LIVE;
        private RangeTombstoneList rangeTombstones;
        private Row staticRow = Row.empty(Clustering.STATIC);
        private final TreeMap<Clustering, Row> rows;

        private Builder(TableMetadata metadata, DecoratedKey key) {
            this.metadata = metadata;
            this.key = key;
            this.rangeTombstones = RangeTombstoneList.empty(metadata.clusteringComparator());
            this.rows = new TreeMap<>(metadata.clusteringComparator());
        }

        public Builder deletePartition(DeletionTime deletion) {
            partitionDeletion = DeletionTime.max(partitionDeletion, deletion);
            return this;
        }

        public Builder addRangeTombstone(RangeTombstone rt) {
            rangeTombstones = rangeTombstones.add(rt);
            return this;
        }

        public Builder addRangeTombstone(Slice slice, DeletionTime deletion) {
            return addRangeTombstone(new RangeTombstone(slice, deletion));
        }

        /** Adds a row (the static row when its clustering is STATIC), merging with one already added. */
        public Builder add(Row row) {
            if (row.isStatic()) {
                staticRow = Reconciler.merge(staticRow, row);
            } else {
                metadata.clusteringComparator().validate(row.clustering());
                rows.merge(row.clustering(), row, Reconciler::merge);
            }
            return this;
        }

        public Builder addAll(PartitionUpdate update) {
            deletePartition(update.partitionDeletion());
            rangeTombstones = rangeTombstones.addAll(update.rangeTombstoneList());
            add(update.staticRow());
            for (Row r : update.rows()) {
                add(r);
            }
            return this;
        }

        public PartitionUpdate build() {
            List<Row> sorted = new ArrayList<>(rows.size());
            for (Row r : rows.values()) {
                if (!r.isEmpty()) {
                    sorted.add(r);
                }
            }
            return new PartitionUpdate(metadata, key, partitionDeletion, rangeTombstones, staticRow,
                    Collections.unmodifiableList(sorted));
        }
    }

    /** Merges updates of the same partition (in any order: the result is the same). */
    public static PartitionUpdate merge(List<PartitionUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Builder b = builder(updates.get(0).metadata(), updates.get(0).key());
        for (PartitionUpdate u : updates) {
            if (!u.key().equals(b.key) || !u.tableId().equals(b.metadata.id())) {
                throw new IllegalArgumentException("cannot merge updates of different partitions");
            }
            b.addAll(u);
        }
        return b.build();
    }
}
