package io.sibyl.storage.compaction;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.MergeIterator;
import io.sibyl.storage.read.PartitionMerger;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The merged, purged partitions of a compaction's inputs, in ring order: the read path's
 * {@link MergeIterator} over one full scan per SSTable, {@link PartitionMerger} to reconcile each key's
 * versions (the same code every read uses, so a compaction can never disagree with a read), then the
 * {@link Purger}. It also tracks how far through its inputs it is, for progress and throttling.
 */
public final class CompactionIterator implements Iterator<UnfilteredRowIterator> {

    private final List<CountingScanner> scanners = new ArrayList<>();
    private final MergeIterator<UnfilteredRowIterator, UnfilteredRowIterator> merged;
    private final Purger purger;

    /**
     * @param maxPurgeableTimestamp per key, the oldest write outside the inputs that may hold it
     *                              (see {@link Purger})
     */
    public CompactionIterator(TableMetadata metadata, List<SSTableReader> inputs, int nowInSec, int gcBefore,
                              ToLongFunction<DecoratedKey> maxPurgeableTimestamp) {
        for (SSTableReader r : inputs) {
            scanners.add(new CountingScanner(r.range(KeyRange.all(), ClusteringFilter.ALL), r.stats().partitionCount(),
                    r.uncompressedLength()));
        }
        this.purger = new Purger(metadata.clusteringComparator(), nowInSec, gcBefore, maxPurgeableTimestamp);
        this.merged = MergeIterator.of(scanners, Comparator.comparing(UnfilteredRowIterator::key),
                versions -> purger.purge(PartitionMerger.merge(metadata, versions, false)));
    }

    @Override
    public boolean hasNext() {
        return merged.hasNext();
    }

    @Override
    public UnfilteredRowIterator next() {
        return merged.next();
    }

    /** Estimated uncompressed input bytes consumed (each input's partitions read × its bytes per partition). */
    public long bytesRead() {
        long n = 0;
        for (CountingScanner s : scanners) {
            n += s.bytesRead();
        }
        return n;
    }

    public long tombstonesPurged() {
        return purger.purgedCount();
    }

    private static final class CountingScanner implements Iterator<UnfilteredRowIterator> {
        private final Iterator<UnfilteredRowIterator> in;
        private final long partitions;
        private final long bytes;
        private volatile long read;

        CountingScanner(Iterator<UnfilteredRowIterator> in, long partitions, long bytes) {
            this.in = in;
            this.partitions = Math.max(1, partitions);
            this.bytes = bytes;
        }

        long bytesRead() {
            return Math.min(bytes, (long) (bytes * (read / (double) partitions)));
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public UnfilteredRowIterator next() {
            UnfilteredRowIterator p = in.next();
            read++;
            return p;
        }
    }
}
