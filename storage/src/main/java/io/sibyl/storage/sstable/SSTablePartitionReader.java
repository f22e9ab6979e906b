package io.sibyl.storage.sstable;

import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.serialization.ColumnDictionary;
import io.sibyl.storage.serialization.MalformedDataException;
import io.sibyl.storage.serialization.RowSerializer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads one partition of an SSTable for a read: the header (deletion, range tombstones, static row) at
 * once, rows lazily. Forward reads of a wide partition jump to the first row index block that can hold
 * each slice; reversed reads walk the blocks backwards, decoding one block at a time. So neither reads
 * the chunks of blocks outside the slices.
 */
final class SSTablePartitionReader {

    private final ChunkedDataInput in;
    private final IndexEntry entry;
    private final ClusteringComparator cmp;
    private final ColumnDictionary columns;
    private final long base;
    private final DataFile data;

    private SSTablePartitionReader(SSTableReader sstable, IndexEntry entry, long end, ScanChunk scan) {
        this.data = sstable.dataFile();
        // A wide partition in a scan keeps a buffer of its own, reused over its many chunks.
        this.in = scan != null && !entry.isWide() ? new ChunkedDataInput(data, scan)
                : new ChunkedDataInput(data, entry.isWide() ? -1 : end);
        this.entry = entry;
        this.cmp = sstable.comparator();
        this.columns = sstable.columns();
        this.base = sstable.stats().baseTimestamp();
    }

    /**
     * @param end    where the partition ends in the data if known (a point read), else -1
     * @param slices sorted and non-overlapping, in clustering order
     */
    static UnfilteredRowIterator open(SSTableReader sstable, IndexEntry entry, long end, List<Slice> slices,
                                      boolean reversed) {
        return new SSTablePartitionReader(sstable, entry, end, null).read(slices, reversed);
    }

    /** One partition of a scan: its chunks come through the scan's {@code shared} last chunk. */
    static UnfilteredRowIterator open(SSTableReader sstable, IndexEntry entry, ScanChunk shared, List<Slice> slices,
                                      boolean reversed) {
        return new SSTablePartitionReader(sstable, entry, -1, shared).read(slices, reversed);
    }

    private UnfilteredRowIterator read(List<Slice> slices, boolean reversed) {
        try {
            in.seek(entry.position());
            DecoratedKey key = new DecoratedKey(in.readLong(), in.readBytes());
            if (!key.equals(entry.key())) {
                throw new CorruptSSTableException(data.file(), "index points at " + key + " for " + entry.key(), null);
            }
            int flags = in.readUnsignedByte();
            DeletionTime pd = (flags & SSTableWriter.PARTITION_HAS_DELETION) != 0
                    ? RowSerializer.readDeletion(in, base) : DeletionTime.LIVE;
            RangeTombstoneList rts = (flags & SSTableWriter.PARTITION_HAS_RANGE_TOMBSTONES) != 0
                    ? RangeTombstoneList.of(cmp, RowSerializer.readRangeTombstones(in, base)).restrictTo(slices)
                    : RangeTombstoneList.empty(cmp);
            Row staticRow = (flags & SSTableWriter.PARTITION_HAS_STATIC_ROW) != 0
                    ? RowSerializer.readRow(in, columns, base) : Row.empty(io.sibyl.storage.data.Clustering.STATIC);
            Iterator<Row> rows;
            if (!reversed) {
                rows = new ForwardRows(slices);
            } else if (entry.isWide()) {
                rows = new ReversedBlockRows(slices);
            } else {
                rows = reversedNarrow(slices);
            }
            return UnfilteredRowIterator.of(key, pd, rts, staticRow, reversed, rows);
        } catch (MalformedDataException e) {
            throw new CorruptSSTableException(data.file(), "partition " + entry.key() + ": " + e.getMessage(), e);
        }
    }

    /** The next row of the partition, or null at its end. */
    private Row readRow() {
        try {
            int marker = in.readUnsignedByte();
            if (marker == SSTableWriter.END_OF_PARTITION) {
                return null;
            }
            if (marker != SSTableWriter.ROW_MARKER) {
                throw new MalformedDataException("bad row marker " + marker + " at " + (in.position() - 1));
            }
            return RowSerializer.readRow(in, columns, base);
        } catch (MalformedDataException e) {
            throw new CorruptSSTableException(data.file(), "partition " + entry.key() + ": " + e.getMessage(), e);
        }
    }

    private Iterator<Row> reversedNarrow(List<Slice> slices) {
        return new LazyIterator() {
            private List<Row> all;
            private int i;

            @Override
            Row compute() {
                if (all == null) {
                    all = new ArrayList<>();
                    new ForwardRows(slices).forEachRemaining(all::add);
                    i = all.size();
                }
                return i > 0 ? all.get(--i) : null;
            }
        };
    }

    private abstract static class LazyIterator implements Iterator<Row> {
        private Row next;

        abstract Row compute();

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = compute();
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }
    }

    /** Rows in clustering order, restricted to the slices, skipping to the block where each slice starts. */
    private final class ForwardRows extends LazyIterator {
        private final List<Slice> slices;
        private int slice;
        private boolean positioned;
        private Row pending;
        private boolean exhausted;

        ForwardRows(List<Slice> slices) {
            this.slices = slices;
        }

        @Override
        Row compute() {
            while (!exhausted && slice < slices.size()) {
                Slice s = slices.get(slice);
                if (!positioned) {
                    positioned = true;
                    if (entry.isWide() && !s.start().isUnbounded()) {
                        int b = entry.firstBlockFrom(cmp, s.start());
                        if (b < 0) {
                            exhausted = true;
                            return null;
                        }
                        long target = entry.position() + entry.blocks().get(b).offset();
                        if (target > in.position()) {
                            in.seek(target);
                            pending = null;
                        }
                    }
                }
                Row r = pending != null ? pending : readRow();
                pending = null;
                if (r == null) {
                    exhausted = true;
                    return null;
                }
                if (cmp.compare(s.start(), r.clustering()) > 0) {
                    continue;
                }
                if (cmp.compare(s.end(), r.clustering()) < 0) {
                    pending = r;
                    slice++;
                    positioned = false;
                    continue;
                }
                return r;
            }
            return null;
        }
    }

    /** Rows in reverse clustering order: per slice (last first), its blocks from last to first. */
    private final class ReversedBlockRows extends LazyIterator {
        private final List<Slice> slices;
        private final ArrayDeque<Row> buffer = new ArrayDeque<>();
        private int slice;
        private boolean sliceStarted;
        private int block;
        private int lowestBlock;

        ReversedBlockRows(List<Slice> slices) {
            this.slices = slices;
            this.slice = slices.size() - 1;
        }

        @Override
        Row compute() {
            while (true) {
                if (!buffer.isEmpty()) {
                    return buffer.pollLast();
                }
                if (slice < 0) {
                    return null;
                }
                Slice s = slices.get(slice);
                List<IndexEntry.Block> blocks = entry.blocks();
                if (!sliceStarted) {
                    sliceStarted = true;
                    block = s.end().isUnbounded() ? blocks.size() - 1 : entry.lastBlockUpTo(cmp, s.end());
                    int low = s.start().isUnbounded() ? 0 : entry.firstBlockFrom(cmp, s.start());
                    lowestBlock = low < 0 ? Integer.MAX_VALUE : low;
                }
                if (block < 0 || block < lowestBlock) {
                    slice--;
                    sliceStarted = false;
                    continue;
                }
                IndexEntry.Block b = blocks.get(block--);
                long start = entry.position() + b.offset();
                in.seek(start);
                while (in.position() < start + b.width()) {
                    Row r = readRow();
                    if (r == null) {
                        break;
                    }
                    if (s.includes(cmp, r.clustering())) {
                        buffer.addLast(r);
                    }
                }
            }
        }
    }
}
