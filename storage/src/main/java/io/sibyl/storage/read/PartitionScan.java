package io.sibyl.storage.read;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Every partition of a key range, merged across a table's memtables and SSTables, tombstones
 * included (shadowed data removed), read lazily in ring order. The SSTables it reads stay
 * referenced — a compaction cannot delete their files — until {@link #close()}; a long scan
 * (streaming a range to another node) must therefore always be closed.
 */
public final class PartitionScan implements Iterator<UnfilteredRowIterator>, AutoCloseable {

    private final Iterator<UnfilteredRowIterator> partitions;
    private final Runnable release;
    private boolean closed;

    public PartitionScan(Iterator<UnfilteredRowIterator> partitions, Runnable release) {
        this.partitions = partitions;
        this.release = release;
    }

    @Override
    public boolean hasNext() {
        return !closed && partitions.hasNext();
    }

    @Override
    public UnfilteredRowIterator next() {
        if (closed) {
            throw new NoSuchElementException("scan closed");
        }
        return partitions.next();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
