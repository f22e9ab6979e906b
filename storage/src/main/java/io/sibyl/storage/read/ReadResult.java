package io.sibyl.storage.read;

import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * What a replica answers for a read. {@link #partitions} is the unfiltered merge (tombstones kept,
 * shadowed data gone) that replicas exchange for digests, read repair and replication;
 * {@link #filtered} is what a client sees.
 *
 * @param partitions   in ring order, rows in clustering order, only non-empty partitions
 * @param limitReached true if the row limit stopped the read (more data may follow: page on)
 */
public record ReadResult(TableMetadata metadata, ClusteringFilter filter, int nowInSec,
                         List<PartitionUpdate> partitions, ReadStats stats, boolean limitReached) {

    public ReadResult {
        partitions = List.copyOf(partitions);
    }

    /** The live data, in the read's order, for clients. */
    public List<FilteredPartition> filtered() {
        List<FilteredPartition> out = new ArrayList<>(partitions.size());
        for (PartitionUpdate p : partitions) {
            FilteredPartition f = FilteredPartition.of(p, filter, nowInSec);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** A digest of the unfiltered result, equal on replicas holding the same data. */
    public byte[] digest() {
        return ReadDigest.of(partitions);
    }
}
