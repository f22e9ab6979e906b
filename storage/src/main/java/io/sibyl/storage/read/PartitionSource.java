package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;

import java.util.Iterator;
import java.util.Optional;

/**
 * Something holding partitions of one table that a read merges: a memtable now, an SSTable later.
 * Both answer with unfiltered data; all reconciling happens in {@link PartitionMerger}.
 */
public interface PartitionSource {

    /** The partition restricted to the filter, or empty if this source holds nothing for the key. */
    Optional<UnfilteredRowIterator> partition(DecoratedKey key, ClusteringFilter filter);

    /** The partitions in the range, in ring order, each restricted to the filter. */
    Iterator<UnfilteredRowIterator> range(KeyRange range, ClusteringFilter filter);
}
