package io.sibyl.storage.read;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Reconciler;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Merges the versions of one partition held by several sources into one unfiltered partition:
 * deletions combined, rows with equal clusterings reconciled, then everything a deletion shadows
 * (partition deletion, range tombstones, row and collection deletions) and every cell of a dropped
 * column removed. Tombstones themselves are kept. Rows are merged lazily, in the read's order.
 */
public final class PartitionMerger {

    private PartitionMerger() {
    }

    public static UnfilteredRowIterator merge(TableMetadata metadata, List<UnfilteredRowIterator> versions,
                                              boolean reversed) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        ClusteringComparator cmp = metadata.clusteringComparator();
        DeletionTime partitionDeletion = DeletionTime.LIVE;
        RangeTombstoneList rts = RangeTombstoneList.empty(cmp);
        Row staticRow = null;
        List<Iterator<Row>> rowSources = new ArrayList<>(versions.size());
        for (UnfilteredRowIterator v : versions) {
            if (v.isReverseOrder() != reversed) {
                throw new IllegalArgumentException("source order does not match the read's order");
            }
            partitionDeletion = DeletionTime.max(partitionDeletion, v.partitionDeletion());
            rts = rts.addAll(v.rangeTombstones());
            staticRow = staticRow == null ? v.staticRow() : Reconciler.merge(staticRow, v.staticRow());
            rowSources.add(v);
        }
        DeletionTime pd = partitionDeletion;
        RangeTombstoneList liveRts = rts.withoutShadowedBy(pd);
        Row mergedStatic = purgeAndFilterOrNull(metadata, staticRow, pd);
        Comparator<Row> order = (a, b) -> cmp.compare(a.clustering(), b.clustering());
        MergeIterator<Row, Row> rows = MergeIterator.of(rowSources, reversed ? order.reversed() : order, equal -> {
            Row merged = equal.get(0);
            for (int i = 1; i < equal.size(); i++) {
                merged = Reconciler.merge(merged, equal.get(i));
            }
            DeletionTime covering = DeletionTime.max(pd, liveRts.deletionFor(merged.clustering()));
            return purgeAndFilterOrNull(metadata, merged, covering);
        });
        return UnfilteredRowIterator.of(versions.get(0).key(), pd, liveRts,
                mergedStatic == null ? Row.empty(staticRow.clustering()) : mergedStatic, reversed, rows);
    }

    private static Row purgeAndFilterOrNull(TableMetadata metadata, Row row, DeletionTime covering) {
        Row purged = Reconciler.purge(row, covering);
        return purged == null ? null : withoutDroppedColumns(metadata, purged);
    }

    /**
     * Removes cells (and collection deletions) of columns the table no longer has, or had dropped after
     * they were written. Returns null if that leaves nothing.
     */
    static Row withoutDroppedColumns(TableMetadata metadata, Row row) {
        boolean allVisible = true;
        for (Cell c : row.cells()) {
            if (!metadata.isVisible(c.column(), c.timestamp())) {
                allVisible = false;
                break;
            }
        }
        for (Map.Entry<String, DeletionTime> e : row.complexDeletions().entrySet()) {
            if (!metadata.isVisible(e.getKey(), e.getValue().markedForDeleteAt())) {
                allVisible = false;
                break;
            }
        }
        if (allVisible) {
            return row;
        }
        List<Cell> cells = new ArrayList<>(row.cells().size());
        for (Cell c : row.cells()) {
            if (metadata.isVisible(c.column(), c.timestamp())) {
                cells.add(c);
            }
        }
        Map<String, DeletionTime> complex = new HashMap<>();
        row.complexDeletions().forEach((k, v) -> {
            if (metadata.isVisible(k, v.markedForDeleteAt())) {
                complex.put(k, v);
            }
        });
        Row out = new Row(row.clustering(), row.primaryKeyLivenessInfo(), row.deletion(), cells, complex);
        return out.isEmpty() ? null : out;
    }
}
