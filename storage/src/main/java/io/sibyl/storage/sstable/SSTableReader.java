package io.sibyl.storage.sstable;

import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.ColumnDictionary;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.MalformedDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An open, immutable SSTable as a {@link PartitionSource}. A point read consults the key range and the
 * bloom filter first, then the in-memory summary, then at most one summary interval of the index file,
 * then only the data chunks it needs. Thread-safe: every read has its own cursors over shared channels.
 *
 * <p>Lifetime: reads take a reference ({@link #tryRef}) for their duration; an SSTable replaced or
 * truncated is {@link #markObsolete() marked obsolete} and its files are deleted when the last reference goes.
 */
public final class SSTableReader implements PartitionSource {

    private static final Logger log = LoggerFactory.getLogger(SSTableReader.class);
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    /** Unique among the readers this JVM opens, never reused: the key cache's SSTable identity. */
    private final long id = IDS.incrementAndGet();
    private volatile KeyCache keyCache = KeyCache.DISABLED;

    private final Descriptor descriptor;
    private final TableMetadata metadata;
    private final DataFile data;
    private final FileChannel indexChannel;
    private final long indexLength;
    private final IndexSummary summary;
    private final BloomFilter bloom;
    private final StatsMetadata stats;
    private final ColumnDictionary columns;
    private final long bytesOnDisk;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean obsolete = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    /** False after {@link #close()}: release closes the files but keeps them. */
    private volatile boolean deleteOnRelease = true;
    private final LongAdder bloomTruePositives = new LongAdder();
    private final LongAdder bloomFalsePositives = new LongAdder();
    private final java.util.concurrent.CompletableFuture<Boolean> releasedFuture = new java.util.concurrent.CompletableFuture<>();

    private SSTableReader(Descriptor descriptor, TableMetadata metadata, DataFile data, FileChannel indexChannel,
                          long indexLength, IndexSummary summary, BloomFilter bloom, StatsMetadata stats, long bytesOnDisk) {
        this.descriptor = descriptor;
        this.metadata = metadata;
        this.data = data;
        this.indexChannel = indexChannel;
        this.indexLength = indexLength;
        this.summary = summary;
        this.bloom = bloom;
        this.stats = stats;
        this.columns = new ColumnDictionary(stats.columns());
        this.bytesOnDisk = bytesOnDisk;
    }

    /** Opens a complete SSTable; a damaged small component fails here with {@link CorruptSSTableException}. */
    public static SSTableReader open(Descriptor d, TableMetadata metadata) {
        for (Component c : Component.values()) {
            if (!Files.exists(d.path(c))) {
                throw new CorruptSSTableException(d.path(c), "component missing", null);
            }
        }
        CompressionInfo info = parse(d.path(Component.COMPRESSION_INFO), CompressionInfo::read);
        IndexSummary summary = parse(d.path(Component.SUMMARY), IndexSummary::read);
        BloomFilter bloom = parse(d.path(Component.FILTER), BloomFilter::read);
        StatsMetadata stats = parse(d.path(Component.STATISTICS), StatsMetadata::read);
        if (!stats.tableId().equals(metadata.id())) {
            throw new CorruptSSTableException(d.path(Component.STATISTICS), "belongs to table " + stats.tableId()
                    + ", not " + metadata, null);
        }
        FileChannel dataCh = null;
        FileChannel indexCh = null;
        try {
            dataCh = FileChannel.open(d.path(Component.DATA), StandardOpenOption.READ);
            indexCh = FileChannel.open(d.path(Component.INDEX), StandardOpenOption.READ);
            if (dataCh.size() != info.compressedLength()) {
                throw new CorruptSSTableException(d.path(Component.DATA), "is " + dataCh.size() + " bytes, "
                        + "compression info says " + info.compressedLength(), null);
            }
            long bytes = 0;
            for (Component c : Component.values()) {
                bytes += Files.size(d.path(c));
            }
            return new SSTableReader(d, metadata, new DataFile(d.path(Component.DATA), dataCh, info), indexCh,
                    indexCh.size(), summary, bloom, stats, bytes);
        } catch (IOException | RuntimeException e) {
            closeQuietly(dataCh);
            closeQuietly(indexCh);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot open " + d, (IOException) e);
        }
    }

    private static <T> T parse(Path file, java.util.function.Function<DataInputBuffer, T> reader) {
        byte[] bytes = ChecksummedFile.read(file);
        try {
            return reader.apply(new DataInputBuffer(bytes));
        } catch (MalformedDataException e) {
            throw new CorruptSSTableException(file, e.getMessage(), e);
        }
    }

    @Override
    public Optional<UnfilteredRowIterator> partition(DecoratedKey key, ClusteringFilter filter) {
        if (key.compareTo(summary.first()) < 0 || key.compareTo(summary.last()) > 0 || !bloom.mightContain(key.key())) {
            return Optional.empty();
        }
        KeyCache cache = keyCache;
        KeyCache.Position cached = cache.get(id, key);
        IndexEntry entry;
        long end;
        if (cached != null) {
            entry = cached.entry();
            end = cached.end();
        } else {
            long[] partitionEnd = new long[1];
            entry = find(key, partitionEnd);
            if (entry == null) {
                bloomFalsePositives.increment();
                return Optional.empty();
            }
            end = partitionEnd[0];
            if (!obsolete.get()) { // a read racing the release may still put: release() sweeps after the last read
                cache.put(id, entry, end);
            }
        }
        bloomTruePositives.increment();
        return Optional.of(SSTablePartitionReader.open(this, entry, end, slices(filter), filter.reversed()));
    }

    /** Point reads of this SSTable use {@code cache} from now on (set when the SSTable joins its table's live set). */
    public void keyCache(KeyCache cache) {
        this.keyCache = cache;
    }

    /** Point reads of narrow partitions in this SSTable keep their decompressed chunks in {@code cache}. */
    public void chunkCache(ChunkCache cache) {
        data.chunkCache(cache, id);
    }

    /** This open reader's identity in the key and chunk caches. */
    long id() {
        return id;
    }

    /** The entry of {@code key}, or null; {@code end[0]} = where its partition ends in the data, or -1 if unknown. */
    private IndexEntry find(DecoratedKey key, long[] partitionEnd) {
        long from = summary.scanStart(key);
        long to = summary.scanEnd(key);
        long end = to < 0 ? indexLength : to;
        // One positional read of the whole summary interval into a reused per-thread buffer, then an
        // in-memory scan that decodes only the matching entry (byte-wise cursor reads and a decoded
        // entry per scanned key were ~30% of a point read's CPU).
        int len = (int) Math.min(end - from, Integer.MAX_VALUE - 16);
        byte[] buf = ReadBuffers.indexRun(len);
        try {
            readFully(indexChannel, buf, len, from);
            IndexEntry e = IndexEntry.find(buf, 0, len, key, partitionEnd);
            if (e != null && partitionEnd[0] < 0 && to < 0 && from + len == indexLength) {
                partitionEnd[0] = data.length(); // the last entry of the last run: the partition ends the data
            }
            return e;
        } catch (MalformedDataException e) {
            throw new CorruptSSTableException(descriptor.path(Component.INDEX), e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the index of " + descriptor, e);
        }
    }

    private static void readFully(FileChannel ch, byte[] buf, int len, long position) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, position + bb.position()) < 0) {
                throw new MalformedDataException("index file ends at " + (position + bb.position())
                        + ", before the summary interval's end " + (position + len));
            }
        }
    }

    /** Whether this SSTable may hold {@code key} (key range, then bloom filter); no I/O. */
    public boolean mightContain(DecoratedKey key) {
        return key.compareTo(summary.first()) >= 0 && key.compareTo(summary.last()) <= 0 && bloom.mightContain(key.key());
    }

    @Override
    public Iterator<UnfilteredRowIterator> range(KeyRange range, ClusteringFilter filter) {
        if (range.isEmpty() || (range.end() != null && range.end().compareTo(summary.first()) < 0)
                || range.start().compareTo(summary.last()) > 0) {
            return Collections.emptyIterator();
        }
        List<Slice> slices = slices(filter);
        FileDataInput in = new FileDataInput(indexChannel, indexLength, summary.scanStart(range.start()), 64 << 10);
        return new Iterator<>() {
            private final ScanChunk chunk = new ScanChunk();
            private IndexEntry next = advance();

            private IndexEntry advance() {
                try {
                    while (!in.isEof()) {
                        IndexEntry e = IndexEntry.read(in);
                        int c = e.key().compareTo(range.start());
                        if (c < 0 || (c == 0 && !range.startInclusive())) {
                            continue;
                        }
                        return range.contains(e.key()) ? e : null;
                    }
                    return null;
                } catch (MalformedDataException e) {
                    throw new CorruptSSTableException(descriptor.path(Component.INDEX), e.getMessage(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public UnfilteredRowIterator next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                IndexEntry e = next;
                next = advance();
                return SSTablePartitionReader.open(SSTableReader.this, e, chunk, slices, filter.reversed());
            }
        };
    }

    private List<Slice> slices(ClusteringFilter filter) {
        return filter.selectsFullPartition() ? filter.slices() : filter.normalizedSlices(comparator());
    }

    DataFile dataFile() {
        return data;
    }

    ClusteringComparator comparator() {
        return metadata.clusteringComparator();
    }

    ColumnDictionary columns() {
        return columns;
    }

    public Descriptor descriptor() {
        return descriptor;
    }

    public StatsMetadata stats() {
        return stats;
    }

    public DecoratedKey first() {
        return summary.first();
    }

    public DecoratedKey last() {
        return summary.last();
    }

    public long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** Bytes of partition data before compression. */
    public long uncompressedLength() {
        return data.info().dataLength();
    }

    public long chunksRead() {
        return data.chunksRead.sum();
    }

    public long corruptChunkReads() {
        return data.corruptChunks.sum();
    }

    public long bloomFalsePositives() {
        return bloomFalsePositives.sum();
    }

    public long bloomTruePositives() {
        return bloomTruePositives.sum();
    }

    public long bloomFilterBytes() {
        return bloom.sizeInBytes();
    }

    /** Takes a reference for a read; false if the SSTable is already released (re-read the table's view). */
    public boolean tryRef() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void unref() {
        if (refs.decrementAndGet() == 0) {
            release();
        }
    }

    /** The SSTable is no longer part of its table: delete its files once no read uses it. */
    public void markObsolete() {
        if (obsolete.compareAndSet(false, true)) {
            unref();
        }
    }

    /** Closes without deleting (node shutdown); reads still running keep it open until they finish. */
    public void close() {
        if (obsolete.compareAndSet(false, true)) {
            deleteOnRelease = false;
            unref();
        }
    }

    /** Completes when the files are closed, with true if they were deleted (obsolete) and false if kept. */
    public java.util.concurrent.CompletionStage<Boolean> onRelease() {
        return releasedFuture;
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            data.close();
        } catch (IOException e) {
            log.warn("Closing {}", descriptor, e);
        }
        closeQuietly(indexChannel);
        keyCache.invalidate(id);
        if (deleteOnRelease) {
            SSTableDirectory.deleteGeneration(descriptor);
        }
        releasedFuture.complete(deleteOnRelease);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "SSTable(" + descriptor + ")";
    }
}
