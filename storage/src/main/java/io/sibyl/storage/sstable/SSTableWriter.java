package io.sibyl.storage.sstable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.ColumnDictionary;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.RowSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Writes one SSTable from partitions given in ring order. Everything goes to temporary files; {@link #finish}
 * syncs them, renames them to their final names and writes the table of contents last, so a generation
 * with a TOC is complete and anything else found at startup is debris to delete.
 *
 * <p>Data layout per partition (uncompressed stream): token, key, flags, partition deletion, range
 * tombstones, static row, then {@code 1 row}* and a {@code 0} end marker. Rows are cut into row index
 * blocks of about {@code rowIndexBlockSize} bytes; a partition with more than one block lists them in its
 * index entry.
 */
public final class SSTableWriter {

    static final int PARTITION_HAS_DELETION = 0x01;
    static final int PARTITION_HAS_RANGE_TOMBSTONES = 0x02;
    static final int PARTITION_HAS_STATIC_ROW = 0x04;
    static final int ROW_MARKER = 1;
    static final int END_OF_PARTITION = 0;

    private static final EnumSet<Component> WRITTEN = EnumSet.of(Component.DATA, Component.COMPRESSION_INFO,
            Component.INDEX, Component.SUMMARY, Component.FILTER, Component.STATISTICS);

    private final Descriptor descriptor;
    private final TableMetadata metadata;
    private final SSTableConfig config;
    private final long baseTimestamp;
    private final CommitLogPosition upperBound;
    private final int level;
    private final CompressedDataWriter data;
    private final SequentialFileWriter index;
    private final BloomFilter bloom;
    private final StatsCollector stats;
    private final ColumnDictionary columns = new ColumnDictionary();
    private final DataOutputBuffer scratch = new DataOutputBuffer(4096);
    private final List<DecoratedKey> summaryKeys = new ArrayList<>();
    private final List<Long> summaryPositions = new ArrayList<>();
    private DecoratedKey first;
    private DecoratedKey last;
    private long partitions;
    private boolean prepared;
    private boolean done;

    private SSTableWriter(Descriptor descriptor, TableMetadata metadata, SSTableConfig config, long expectedPartitions,
                          long baseTimestamp, CommitLogPosition upperBound, int level) throws IOException {
        this.descriptor = descriptor;
        this.metadata = metadata;
        this.config = config;
        this.baseTimestamp = baseTimestamp;
        this.upperBound = upperBound;
        this.level = level;
        Files.createDirectories(descriptor.directory());
        this.data = new CompressedDataWriter(descriptor.tmpPath(Component.DATA), config.chunkSize(),
                config.trickleFsyncBytes());
        this.index = new SequentialFileWriter(descriptor.tmpPath(Component.INDEX), config.trickleFsyncBytes());
        this.bloom = BloomFilter.create(expectedPartitions, config.bloomFpChance());
        this.stats = new StatsCollector(metadata.clusteringComparator());
    }

    /**
     * @param baseTimestamp the smallest timestamp to be written (cell timestamps are stored relative to it)
     * @param upperBound    every commit-log record of the table before this position is in this SSTable or an
     *                      older one (the flushed memtable's switch position)
     */
    public static SSTableWriter create(Descriptor descriptor, TableMetadata metadata, SSTableConfig config,
                                       long expectedPartitions, long baseTimestamp, CommitLogPosition upperBound,
                                       int level) throws IOException {
        return new SSTableWriter(descriptor, metadata, config, expectedPartitions, baseTimestamp, upperBound, level);
    }

    public Descriptor descriptor() {
        return descriptor;
    }

    /** Appends the next partition (keys strictly increasing). */
    public void append(UnfilteredRowIterator partition) {
        try {
            doAppend(partition);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + descriptor, e);
        }
    }

    private void doAppend(UnfilteredRowIterator p) throws IOException {
        DecoratedKey key = p.key();
        if (last != null && key.compareTo(last) <= 0) {
            throw new IllegalArgumentException("partitions out of order: " + key + " after " + last);
        }
        long start = data.position();
        scratch.reset();
        scratch.writeLong(key.token());
        scratch.writeBytes(key.key());
        Row staticRow = p.staticRow();
        var rts = p.rangeTombstones().ranges();
        int flags = (p.partitionDeletion().isLive() ? 0 : PARTITION_HAS_DELETION)
                | (rts.isEmpty() ? 0 : PARTITION_HAS_RANGE_TOMBSTONES)
                | (staticRow.isEmpty() ? 0 : PARTITION_HAS_STATIC_ROW);
        scratch.writeByte(flags);
        if (!p.partitionDeletion().isLive()) {
            RowSerializer.writeDeletion(scratch, p.partitionDeletion(), baseTimestamp);
        }
        if (!rts.isEmpty()) {
            RowSerializer.writeRangeTombstones(scratch, rts, baseTimestamp);
        }
        if (!staticRow.isEmpty()) {
            RowSerializer.writeRow(scratch, staticRow, columns, baseTimestamp);
            stats.row(staticRow);
        }
        data.write(scratch.array(), 0, scratch.length());
        stats.partition(p.partitionDeletion(), rts);

        List<IndexEntry.Block> blocks = new ArrayList<>();
        long blockStart = -1;
        Clustering blockFirst = null;
        Clustering previous = null;
        while (p.hasNext()) {
            Row row = p.next();
            if (blockFirst == null) {
                blockFirst = row.clustering();
                blockStart = data.position();
            }
            scratch.reset();
            scratch.writeByte(ROW_MARKER);
            RowSerializer.writeRow(scratch, row, columns, baseTimestamp);
            data.write(scratch.array(), 0, scratch.length());
            stats.row(row);
            previous = row.clustering();
            if (data.position() - blockStart >= config.rowIndexBlockSize()) {
                blocks.add(new IndexEntry.Block(blockFirst, previous, blockStart - start, data.position() - blockStart));
                blockFirst = null;
            }
        }
        if (blockFirst != null) {
            blocks.add(new IndexEntry.Block(blockFirst, previous, blockStart - start, data.position() - blockStart));
        }
        data.write(new byte[] {END_OF_PARTITION}, 0, 1);

        IndexEntry entry = new IndexEntry(key, start, blocks.size() > 1 ? blocks : List.of());
        if (partitions % config.summaryInterval() == 0) {
            summaryKeys.add(key);
            summaryPositions.add(index.position());
        }
        scratch.reset();
        entry.write(scratch);
        index.write(scratch);
        bloom.add(key.key());
        if (first == null) {
            first = key;
        }
        last = key;
        partitions++;
    }

    /** Uncompressed partition bytes written so far (compaction cuts outputs and throttles by it). */
    public long dataBytesWritten() {
        return data.position();
    }

    public long partitionsWritten() {
        return partitions;
    }

    /** Completes the SSTable (see the class comment) and opens it for reading. */
    public SSTableReader finish(TableMetadata readerMetadata) {
        prepareToCommit();
        return commit(readerMetadata);
    }

    /**
     * The first half of {@link #finish}: writes and syncs every component under its temporary name. Nothing
     * is visible yet (a crash leaves debris that startup deletes), so prepared SSTables of one table can be
     * written concurrently and {@link #commit committed} one after another in the order their data must
     * become live (a flush's commit-log upper bound may only appear on disk after every older one's).
     */
    public void prepareToCommit() {
        if (prepared) {
            return;
        }
        if (partitions == 0) {
            abort();
            throw new IllegalStateException("an SSTable needs at least one partition");
        }
        try {
            CompressionInfo info = data.finish();
            index.finish();
            DataOutputBuffer out = new DataOutputBuffer(1024);
            info.write(out);
            ChecksummedFile.write(descriptor.tmpPath(Component.COMPRESSION_INFO), out.array(), out.length());
            out.reset();
            new IndexSummary(summaryKeys, summaryPositions, first, last).write(out);
            ChecksummedFile.write(descriptor.tmpPath(Component.SUMMARY), out.array(), out.length());
            out.reset();
            bloom.write(out);
            ChecksummedFile.write(descriptor.tmpPath(Component.FILTER), out.array(), out.length());
            out.reset();
            stats.build(metadata.id(), baseTimestamp, level, upperBound, columns.names()).write(out);
            ChecksummedFile.write(descriptor.tmpPath(Component.STATISTICS), out.array(), out.length());
            prepared = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof IOException io ? new UncheckedIOException("finishing " + descriptor, io) : (RuntimeException) e;
        }
    }

    /**
     * The second half of {@link #finish}, after {@link #prepareToCommit}: renames the components to their
     * final names and writes the table of contents last, which makes the SSTable complete on disk; opens it.
     */
    public SSTableReader commit(TableMetadata readerMetadata) {
        if (!prepared) {
            throw new IllegalStateException("commit before prepareToCommit: " + descriptor);
        }
        try {
            for (Component c : WRITTEN) {
                Files.move(descriptor.tmpPath(c), descriptor.path(c), StandardCopyOption.ATOMIC_MOVE);
            }
            StringBuilder toc = new StringBuilder();
            for (Component c : Component.values()) {
                toc.append(descriptor.path(c).getFileName()).append('\n');
            }
            byte[] tocBytes = toc.toString().getBytes(StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(descriptor.tmpPath(Component.TOC),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                var bb = java.nio.ByteBuffer.wrap(tocBytes);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                ch.force(true);
            }
            // The renames must be durable before the TOC is, or a crash could leave a TOC naming missing files.
            SSTableDirectory.syncDirectory(descriptor.directory());
            Files.move(descriptor.tmpPath(Component.TOC), descriptor.path(Component.TOC), StandardCopyOption.ATOMIC_MOVE);
            SSTableDirectory.syncDirectory(descriptor.directory());
            done = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof IOException io ? new UncheckedIOException("finishing " + descriptor, io) : (RuntimeException) e;
        }
        return SSTableReader.open(descriptor, readerMetadata);
    }

    /** Gives up: closes and deletes every file of this generation. */
    public void abort() {
        if (done) {
            return;
        }
        try {
            data.close();
        } catch (IOException ignored) {
            // deleting anyway
        }
        try {
            index.close();
        } catch (IOException ignored) {
            // deleting anyway
        }
        SSTableDirectory.deleteGeneration(descriptor);
    }
}
