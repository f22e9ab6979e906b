package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A scan over a range of partitions in ring order (full scans, {@code token(pk) > a AND token(pk) <= b},
 * or paging on from a partition key), each partition restricted by the same filter.
 */
public record PartitionRangeReadCommand(TableMetadata metadata, KeyRange range, ClusteringFilter filter,
                                        int nowInSec, DataLimits limits) {

    public PartitionRangeReadCommand {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(filter, "filter");
    }

    public static PartitionRangeReadCommand all(TableMetadata metadata, int nowInSec) {
        return new PartitionRangeReadCommand(metadata, KeyRange.all(), ClusteringFilter.ALL, nowInSec, DataLimits.NONE);
    }

    /** Merges the sources partition by partition, stopping as soon as the limits are met. */
    public ReadResult execute(List<? extends PartitionSource> sources) {
        return execute(sources, ReadThresholds.NONE);
    }

    /** As {@link #execute(List)}, enforcing tombstone thresholds (see {@link ReadThresholds}). */
    public ReadResult execute(List<? extends PartitionSource> sources, ReadThresholds thresholds) {
        ReadResultBuilder result = new ReadResultBuilder(metadata, filter, limits, nowInSec, thresholds);
        if (range.isEmpty()) {
            return result.build();
        }
        List<Iterator<UnfilteredRowIterator>> scans = new ArrayList<>(sources.size());
        for (PartitionSource s : sources) {
            scans.add(s.range(range, filter));
        }
        Comparator<UnfilteredRowIterator> byKey = Comparator.comparing(UnfilteredRowIterator::key,
                Comparator.<DecoratedKey>naturalOrder());
        MergeIterator<UnfilteredRowIterator, UnfilteredRowIterator> partitions = MergeIterator.of(scans, byKey,
                versions -> PartitionMerger.merge(metadata, versions, filter.reversed()));
        while (!result.isDone() && partitions.hasNext()) {
            result.add(partitions.next());
        }
        return result.build();
    }
}
