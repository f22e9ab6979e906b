package io.sibyl.storage.engine;

/**
 * Hooks through which one table's hot paths report to the node's metrics (the storage module knows no
 * metrics library; the node plugs Micrometer in with {@link StorageEngine#metrics}). One instance per
 * table, created once, so implementations hold their meters and do no lookups per call. Must be cheap,
 * thread-safe and never throw.
 */
public interface TableMetrics {

    /** A mutation touching this table became durable per {@code commitlog_sync}, {@code nanos} after it arrived. */
    void written(long nanos);

    /** A read (point or range) finished, scanning {@code tombstones} tombstones. */
    void read(long nanos, long tombstones);

    /** A read was aborted by {@code tombstone_failure_threshold} after scanning {@code tombstones}. */
    void tombstoneFailure(long tombstones);

    /** A read failed on a checksum mismatch or undecodable data in an SSTable. */
    void corruptSSTableRead();

    /** A memtable of {@code memtableBytes} became an SSTable of {@code sstableBytes} on disk. */
    void flushed(long memtableBytes, long sstableBytes);

    /** The table was dropped: release its meters. */
    default void close() {
    }

    /** Reports nowhere (until the node installs its meters; tests). */
    TableMetrics NONE = new TableMetrics() {
        @Override
        public void written(long nanos) {
        }

        @Override
        public void read(long nanos, long tombstones) {
        }

        @Override
        public void tombstoneFailure(long tombstones) {
        }

        @Override
        public void corruptSSTableRead() {
        }

        @Override
        public void flushed(long memtableBytes, long sstableBytes) {
        }
    };
}
