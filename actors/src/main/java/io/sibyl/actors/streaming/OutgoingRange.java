package io.sibyl.actors.streaming;

import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionScan;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.MutationSerializer;
import org.apache.pekko.util.ByteString;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The source side of streaming one table's token range: reads the range's partitions lazily (one
 * {@link PartitionScan} per non-wrapping piece of the range, SSTables referenced until closed) and
 * cuts their serialized mutations into CRC'd chunks ({@link StreamChunks}). Tombstones travel like
 * data, with their timestamps and deletion times, so the receiver applies them as repair does. A
 * partition larger than {@code pieceBytes} is sent as several mutations of the same key (the first
 * with the partition deletion, range tombstones and static row, the others only rows): each fits a
 * commit-log record, and applying them all gives the partition back. Not thread-safe: one stream.
 */
final class OutgoingRange implements AutoCloseable {

    private final TableStore table;
    private final TableMetadata metadata;
    private final Iterator<KeyRange> keyRanges;
    private final int chunkBytes;
    private final int pieceBytes;
    private PartitionScan scan;
    private UnfilteredRowIterator partition; // the partition being cut into pieces, null between partitions
    private byte[] buffer = new byte[64 * 1024];
    private int start; // first unsent byte of buffer
    private int end;   // first free byte of buffer
    private boolean finished;
    private long partitions;
    private long bytes;

    OutgoingRange(TableStore table, TokenRange range, int chunkBytes, int pieceBytes) {
        this.table = table;
        this.metadata = table.metadata();
        this.keyRanges = KeyRange.tokensWrapping(range.left(), range.right()).iterator();
        this.chunkBytes = chunkBytes;
        this.pieceBytes = pieceBytes;
    }

    /** The next chunk, empty once the end frame was sent. Blocks on disk reads. */
    Optional<ByteString> nextChunk() {
        while (end - start < chunkBytes && !finished) {
            PartitionUpdate piece = nextPiece();
            if (piece == null) {
                ByteBuffer endFrame = ByteBuffer.allocate(12).putInt(0).putLong(partitions);
                append(endFrame.array());
                finished = true;
            } else {
                byte[] m = MutationSerializer.serialize(Mutation.of(piece));
                append(ByteBuffer.allocate(4).putInt(m.length).array());
                append(m);
            }
        }
        if (end == start) {
            return Optional.empty();
        }
        int n = Math.min(chunkBytes, end - start);
        ByteString chunk = StreamChunks.chunk(buffer, start, n);
        start += n;
        bytes += n;
        return Optional.of(chunk);
    }

    long partitions() {
        return partitions;
    }

    long bytes() {
        return bytes;
    }

    private void append(byte[] b) {
        if (end + b.length > buffer.length) {
            int live = end - start;
            byte[] grown = live + b.length > buffer.length ? new byte[Math.max(buffer.length * 2, live + b.length)] : buffer;
            System.arraycopy(buffer, start, grown, 0, live);
            buffer = grown;
            start = 0;
            end = live;
        }
        System.arraycopy(b, 0, buffer, end, b.length);
        end += b.length;
    }

    /** The next mutation-sized piece of the range's data, null at its end. */
    private PartitionUpdate nextPiece() {
        while (true) {
            if (partition != null) {
                PartitionUpdate p = rowsPiece(partition, false);
                if (p != null) {
                    return p;
                }
                partition = null;
            }
            if (scan == null || !scan.hasNext()) {
                if (scan != null) {
                    scan.close();
                    scan = null;
                }
                if (!keyRanges.hasNext()) {
                    return null;
                }
                scan = table.openScan(keyRanges.next());
                continue;
            }
            UnfilteredRowIterator next = scan.next();
            partitions++;
            PartitionUpdate first = rowsPiece(next, true);
            partition = next.hasNext() ? next : null;
            if (first != null && !first.isEmpty()) {
                return first;
            }
        }
    }

    /**
     * Rows of {@code p} up to about pieceBytes; the first piece carries the partition-level parts. Null when
     * a later piece would be empty.
     */
    private PartitionUpdate rowsPiece(UnfilteredRowIterator p, boolean first) {
        List<Row> rows = new ArrayList<>();
        long size = 0;
        while (p.hasNext() && size < pieceBytes) {
            Row r = p.next();
            rows.add(r);
            size += r.dataSize() + 16;
        }
        if (!first && rows.isEmpty()) {
            return null;
        }
        if (first) {
            return new PartitionUpdate(metadata, p.key(), p.partitionDeletion(), p.rangeTombstones(), p.staticRow(), rows);
        }
        return new PartitionUpdate(metadata, p.key(), DeletionTime.LIVE,
                RangeTombstoneList.empty(metadata.clusteringComparator()), null, rows);
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }
}
