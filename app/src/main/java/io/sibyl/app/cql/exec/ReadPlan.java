package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;
import java.util.Set;

/**
 * A read ready to run page by page: the partitions (a key list, or a token range), the clustering
 * slices and order, the row filter, and the limits.
 *
 * @param keys      partitions to read in this order, or null for a range read over [tokenLo, tokenHi]
 * @param columns   non-key columns to return (null: all)
 * @param limit     LIMIT, {@link DataLimits#NO_LIMIT} when none
 * @param perPartitionLimit PER PARTITION LIMIT (1 for DISTINCT), NO_LIMIT when none
 */
record ReadPlan(TableMetadata table, List<DecoratedKey> keys, long tokenLo, long tokenHi, List<Slice> slices,
                boolean reversed, Set<String> columns, RowFilter filter, int limit, int perPartitionLimit,
                ConsistencyLevel consistency) {

    boolean isRange() {
        return keys == null;
    }

    /** Nothing can match: an empty IN, an empty token range, empty clustering slices. */
    boolean isEmpty() {
        return slices.isEmpty() || (keys != null && keys.isEmpty())
                || (keys == null && (tokenLo > tokenHi || tokenHi == Long.MIN_VALUE));
    }

    ClusteringFilter filter(List<Slice> s) {
        return new ClusteringFilter(s, reversed, columns);
    }
}
