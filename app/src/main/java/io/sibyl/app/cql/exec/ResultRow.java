package io.sibyl.app.cql.exec;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;

/**
 * One CQL row of a read: the partition (key, static row) and the clustering row, or no row for a
 * partition that holds only static data (its clustering and regular columns read as null).
 */
final class ResultRow implements RowFilter.Values {

    /** What the rows of one partition share; the key's values are decoded once, on first use. */
    static final class Partition {
        final TableMetadata table;
        final DecoratedKey key;
        final Row staticRow;
        final int nowInSec;
        private List<Object> keyValues;

        Partition(TableMetadata table, DecoratedKey key, Row staticRow, int nowInSec) {
            this.table = table;
            this.key = key;
            this.staticRow = staticRow;
            this.nowInSec = nowInSec;
        }

        List<Object> keyValues() {
            if (keyValues == null) {
                keyValues = Keys.partitionKeyValues(table, key);
            }
            return keyValues;
        }
    }

    final Partition partition;
    final Row row;

    ResultRow(Partition partition, Row row) {
        this.partition = partition;
        this.row = row;
    }

    @Override
    public Object value(ColumnMetadata c) {
        return switch (c.kind()) {
            case PARTITION_KEY -> partition.keyValues().get(c.position());
            case CLUSTERING -> row == null ? null : c.type().deserialize(row.clustering().get(c.position()));
            case STATIC -> Selection.cellValue(partition.staticRow, c, partition.nowInSec, partition.table);
            case REGULAR -> row == null ? null : Selection.cellValue(row, c, partition.nowInSec, partition.table);
        };
    }

    /** The live cell of a simple (non multi-cell) column, or null. */
    Cell cell(ColumnMetadata c) {
        Row r = c.isStatic() ? partition.staticRow : row;
        if (r == null) {
            return null;
        }
        Cell cell = r.cell(c.name());
        return cell != null && cell.isLive(partition.nowInSec) && partition.table.isVisible(c.name(), cell.timestamp())
                ? cell : null;
    }
}
