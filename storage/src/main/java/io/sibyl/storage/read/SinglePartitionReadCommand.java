package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read of one partition: which rows (slices, order, columns), the second "now" is for TTL expiry
 * (fixed by the coordinator, so replicas agree), and the limits.
 */
public record SinglePartitionReadCommand(TableMetadata metadata, DecoratedKey key, ClusteringFilter filter,
                                         int nowInSec, DataLimits limits) {

    public SinglePartitionReadCommand {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(filter, "filter");
    }

    public static SinglePartitionReadCommand fullPartition(TableMetadata metadata, DecoratedKey key, int nowInSec) {
        return new SinglePartitionReadCommand(metadata, key, ClusteringFilter.ALL, nowInSec, DataLimits.NONE);
    }

    /** Merges what the sources hold for the partition, applying the limits while merging. */
    public ReadResult execute(List<? extends PartitionSource> sources) {
        return execute(sources, ReadThresholds.NONE);
    }

    /** As {@link #execute(List)}, enforcing tombstone thresholds (see {@link ReadThresholds}). */
    public ReadResult execute(List<? extends PartitionSource> sources, ReadThresholds thresholds) {
        ReadResultBuilder result = new ReadResultBuilder(metadata, filter, limits, nowInSec, thresholds);
        List<UnfilteredRowIterator> versions = new ArrayList<>(sources.size());
        for (PartitionSource s : sources) {
            Optional<UnfilteredRowIterator> p = s.partition(key, filter);
            p.ifPresent(versions::add);
        }
        if (!versions.isEmpty()) {
            result.add(PartitionMerger.merge(metadata, versions, filter.reversed()));
        }
        return result.build();
    }
}
