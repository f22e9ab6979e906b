package io.sibyl.storage.sstable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.Row;

import java.util.List;
import java.util.UUID;

/** Gathers {@link StatsMetadata} while an SSTable is written. */
final class StatsCollector {

    private final ClusteringComparator comparator;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private int minLdt = Integer.MAX_VALUE;
    private int maxLdt = Integer.MIN_VALUE;
    private Clustering minClustering;
    private Clustering maxClustering;
    private long partitions;
    private long rows;
    private long cells;
    private long tombstones;
    private final TombstoneHistogram dropTimes = new TombstoneHistogram();

    StatsCollector(ClusteringComparator comparator) {
        this.comparator = comparator;
    }

    void partition(DeletionTime partitionDeletion, List<RangeTombstone> rts) {
        partitions++;
        deletion(partitionDeletion);
        for (RangeTombstone rt : rts) {
            deletion(rt.deletion());
        }
    }

    void row(Row row) {
        if (!row.isStatic()) {
            rows++;
            Clustering c = row.clustering();
            if (minClustering == null || comparator.compare(c, minClustering) < 0) {
                minClustering = c;
            }
            if (maxClustering == null || comparator.compare(c, maxClustering) > 0) {
                maxClustering = c;
            }
        }
        if (!row.primaryKeyLivenessInfo().isEmpty()) {
            timestamp(row.primaryKeyLivenessInfo().timestamp());
            // Data that never expires pins max_local_deletion_time at "never", so TWCS cannot drop the SSTable.
            ldt(row.primaryKeyLivenessInfo().isExpiring() ? row.primaryKeyLivenessInfo().localExpirationTime()
                    : Integer.MAX_VALUE, false);
        }
        deletion(row.deletion());
        for (DeletionTime d : row.complexDeletions().values()) {
            deletion(d);
        }
        for (Cell c : row.cells()) {
            cells++;
            timestamp(c.timestamp());
            if (c.isTombstone()) {
                tombstones++;
                ldt(c.localDeletionTime(), true);
            } else if (c.isExpiring()) {
                ldt(c.localDeletionTime(), true);
            } else {
                ldt(Integer.MAX_VALUE, false);
            }
        }
    }

    private void deletion(DeletionTime d) {
        if (d.isLive()) {
            return;
        }
        tombstones++;
        timestamp(d.markedForDeleteAt());
        ldt(d.localDeletionTime(), true);
    }

    private void timestamp(long ts) {
        minTimestamp = Math.min(minTimestamp, ts);
        maxTimestamp = Math.max(maxTimestamp, ts);
    }

    private void ldt(int ldt, boolean droppable) {
        minLdt = Math.min(minLdt, ldt);
        maxLdt = Math.max(maxLdt, ldt);
        if (droppable) {
            dropTimes.add(ldt);
        }
    }

    StatsMetadata build(UUID tableId, long baseTimestamp, int level, CommitLogPosition upperBound, List<String> columns) {
        return new StatsMetadata(tableId, baseTimestamp, minTimestamp, maxTimestamp, minLdt, maxLdt, minClustering,
                maxClustering, partitions, rows, cells, tombstones, dropTimes, level, upperBound, columns,
                System.currentTimeMillis());
    }
}
