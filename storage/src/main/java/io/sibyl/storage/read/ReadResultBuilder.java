package io.sibyl.storage.read;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Pulls merged partitions through the read's limits and keeps what it pulled, unfiltered. Counting
 * happens as rows stream out of the merge, so a LIMIT 10 read of a wide partition merges about ten
 * live rows (plus the tombstones between them), not the whole partition.
 */
final class ReadResultBuilder {

    private final TableMetadata metadata;
    private final ClusteringFilter filter;
    private final DataLimits limits;
    private final int nowInSec;
    private final ReadStats stats;
    private final List<PartitionUpdate> partitions = new ArrayList<>();
    private int liveRows;
    private boolean limitReached;

    ReadResultBuilder(TableMetadata metadata, ClusteringFilter filter, DataLimits limits, int nowInSec,
                      ReadThresholds thresholds) {
        this.stats = new ReadStats(thresholds, metadata.keyspace() + "." + metadata.name());
        this.metadata = metadata;
        this.filter = filter;
        this.limits = limits;
        this.nowInSec = nowInSec;
    }

    boolean isDone() {
        return limitReached;
    }

    /** Consumes a merged partition up to the limits. */
    void add(UnfilteredRowIterator partition) {
        stats.partitionScanned();
        // Tombstones are counted as they stream by, so a read past tombstone_failure_threshold stops at once.
        stats.tombstones(partition.partitionDeletion().isLive() ? 0 : 1);
        List<Row> rows = new ArrayList<>();
        int inPartition = 0;
        Clustering stoppedAt = null;
        while (partition.hasNext()) {
            Row row = partition.next();
            boolean live = row.hasLiveData(nowInSec);
            stats.rowScanned(live);
            stats.tombstones(tombstonesIn(row));
            rows.add(row);
            if (live) {
                inPartition++;
                liveRows++;
                if (liveRows >= limits.rows()) {
                    limitReached = true;
                }
                if (limitReached || inPartition >= limits.perPartitionRows()) {
                    stoppedAt = row.clustering();
                    break;
                }
            }
        }
        Row staticRow = partition.staticRow();
        long tombstones = tombstonesIn(staticRow);
        if (inPartition == 0 && filter.selectsFullPartition() && staticRow.hasLiveData(nowInSec)) {
            // Cassandra returns a partition holding only live static data as one row, so it counts as one.
            liveRows++;
            if (liveRows >= limits.rows()) {
                limitReached = true;
            }
        }
        RangeTombstoneList rts = partition.rangeTombstones();
        if (stoppedAt != null) {
            // Keep only the range tombstones over the part of the partition actually read.
            Slice read = partition.isReverseOrder()
                    ? new Slice(ClusteringBound.inclusiveStartOf(stoppedAt), ClusteringBound.TOP)
                    : new Slice(ClusteringBound.BOTTOM, ClusteringBound.inclusiveEndOf(stoppedAt));
            rts = rts.restrictTo(List.of(read));
        }
        tombstones += rts.size();
        stats.tombstones(tombstones);
        if (partition.isReverseOrder()) {
            Collections.reverse(rows);
        }
        PartitionUpdate update = new PartitionUpdate(metadata, partition.key(), partition.partitionDeletion(), rts,
                staticRow, rows);
        if (!update.isEmpty()) {
            partitions.add(update);
        }
    }

    private long tombstonesIn(Row row) {
        long n = (row.deletion().isLive() ? 0 : 1) + row.complexDeletions().size();
        for (Cell c : row.cells()) {
            if (!c.isLive(nowInSec)) {
                n++;
            }
        }
        return n;
    }

    ReadResult build() {
        return new ReadResult(metadata, filter, nowInSec, partitions, stats, limitReached);
    }
}
