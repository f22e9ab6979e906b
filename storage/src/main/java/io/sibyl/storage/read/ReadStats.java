package io.sibyl.storage.read;

/**
 * What one read scanned, for tombstone warn/failure thresholds and per-table metrics. Owned by one
 * read (not thread-safe). Tombstones counted: partition deletions, range tombstones, row deletions,
 * collection deletions and deleted or expired cells that the merge kept.
 */
public final class ReadStats {

    private long partitions;
    private long rows;
    private long liveRows;
    private long tombstones;

    public void partitionScanned() {
        partitions++;
    }

    public void rowScanned(boolean live) {
        rows++;
        if (live) {
            liveRows++;
        }
    }

    public void tombstones(long n) {
        tombstones += n;
    }

    public long partitionsScanned() {
        return partitions;
    }

    public long rowsScanned() {
        return rows;
    }

    public long liveRowsScanned() {
        return liveRows;
    }

    public long tombstonesScanned() {
        return tombstones;
    }

    @Override
    public String toString() {
        return "ReadStats(partitions=" + partitions + ", rows=" + rows + ", liveRows=" + liveRows
                + ", tombstones=" + tombstones + ")";
    }
}
