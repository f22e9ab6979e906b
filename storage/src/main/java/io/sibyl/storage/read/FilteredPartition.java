package io.sibyl.storage.read;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A partition as a client sees it: live rows only, each with only its live cells of the selected
 * columns, in the read's order. When no row is live but the static row is and the read selects the
 * whole partition, {@link #isStaticOnly} is true: CQL then shows one row whose clustering columns are
 * null (Cassandra's rule).
 *
 * @param staticRow the live static cells (an empty row when none)
 */
public record FilteredPartition(DecoratedKey key, Row staticRow, List<Row> rows, boolean isStaticOnly) {

    public FilteredPartition {
        rows = List.copyOf(rows);
    }

    /** The client view of an unfiltered partition, or null when nothing of it is visible. */
    public static FilteredPartition of(PartitionUpdate p, ClusteringFilter filter, int nowInSec) {
        List<Row> rows = new ArrayList<>();
        for (Row r : p.rows()) {
            if (r.hasLiveData(nowInSec)) {
                rows.add(liveCells(r, filter, nowInSec));
            }
        }
        if (filter.reversed()) {
            Collections.reverse(rows);
        }
        boolean staticLive = p.staticRow().hasLiveData(nowInSec);
        Row staticRow = staticLive ? liveCells(p.staticRow(), filter, nowInSec) : Row.empty(p.staticRow().clustering());
        boolean staticOnly = rows.isEmpty() && staticLive && filter.selectsFullPartition();
        if (rows.isEmpty() && !staticOnly) {
            return null;
        }
        return new FilteredPartition(p.key(), staticRow, rows, staticOnly);
    }

    private static Row liveCells(Row r, ClusteringFilter filter, int nowInSec) {
        List<Cell> cells = new ArrayList<>(r.cells().size());
        for (Cell c : r.cells()) {
            if (c.isLive(nowInSec) && filter.selects(c.column())) {
                cells.add(c);
            }
        }
        LivenessInfo liveness = r.primaryKeyLivenessInfo().isLive(nowInSec) ? r.primaryKeyLivenessInfo() : LivenessInfo.EMPTY;
        return new Row(r.clustering(), liveness, DeletionTime.LIVE, cells, Map.of());
    }
}
