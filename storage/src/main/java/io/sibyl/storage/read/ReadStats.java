package io.sibyl.storage.read;

/**
 * What one read scanned, for tombstone warn/failure thresholds and per-table metrics. Owned by one
 * read (not thread-safe). Tombstones counted: partition deletions, range tombstones, row deletions,
 * collection deletions and deleted or expired cells that the merge kept.
 */
public final class ReadStats {

    private final ReadThresholds thresholds;
    private final String table;
    private long partitions;
    private long rows;
    private long liveRows;
    private long tombstones;

    public ReadStats() {
        this(ReadThresholds.NONE, "");
    }

    /** @param table named in the failure message ("ks.table") */
    public ReadStats(ReadThresholds thresholds, String table) {
        this.thresholds = thresholds;
        this.table = table;
    }

    /** Stats as another node counted them (decoded from an inter-node read response). */
    public ReadStats(ReadThresholds thresholds, String table, long partitions, long rows, long liveRows,
                     long tombstones) {
        this(thresholds, table);
        this.partitions = partitions;
        this.rows = rows;
        this.liveRows = liveRows;
        this.tombstones = tombstones;
    }

    /** The thresholds this read was checked against. */
    public ReadThresholds thresholds() {
        return thresholds;
    }

    /** "ks.table", or empty. */
    public String table() {
        return table;
    }

    /** Adds another read's counts to this one (a scan over several token ranges), without threshold checks. */
    public void add(ReadStats other) {
        partitions += other.partitions;
        rows += other.rows;
        liveRows += other.liveRows;
        tombstones += other.tombstones;
    }

    public void partitionScanned() {
        partitions++;
    }

    public void rowScanned(boolean live) {
        rows++;
        if (live) {
            liveRows++;
        }
    }

    /** Counts tombstones; throws {@link TombstoneOverwhelmingException} once past the failure threshold. */
    public void tombstones(long n) {
        tombstones += n;
        if (tombstones > thresholds.tombstoneFailure()) {
            throw new TombstoneOverwhelmingException(tombstones, thresholds.tombstoneFailure(),
                    table.isEmpty() ? "" : " in " + table);
        }
    }

    /** True if the read scanned more tombstones than {@code tombstone_warn_threshold}: warn the client. */
    public boolean tombstoneWarning() {
        return tombstones > thresholds.tombstoneWarn();
    }

    /** Warnings for the client (empty when none), e.g. the tombstone warning. */
    public java.util.List<String> warnings() {
        if (!tombstoneWarning()) {
            return java.util.List.of();
        }
        return java.util.List.of("Read " + liveRows + " live rows and " + tombstones + " tombstone cells"
                + (table.isEmpty() ? "" : " in " + table) + " (tombstone_warn_threshold = "
                + thresholds.tombstoneWarn() + ")");
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
