package io.sibyl.storage.sstable;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.RowSerializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One partition in the partition index: its key, where it starts in the (uncompressed) data, and for
 * a wide partition the row index blocks — consecutive runs of rows with their first and last clustering
 * and their place relative to the partition start — so a slice reads only the blocks it overlaps.
 */
record IndexEntry(DecoratedKey key, long position, List<Block> blocks) {

    /** Rows {@code [first .. last]} at {@code offset} (from the partition start), {@code width} bytes long. */
    record Block(Clustering first, Clustering last, long offset, long width) {
    }

    boolean isWide() {
        return !blocks.isEmpty();
    }

    void write(DataOutputBuffer out) {
        out.writeLong(key.token());
        out.writeBytes(key.key());
        out.writeUnsignedVInt(position);
        out.writeUnsignedVInt(blocks.size());
        for (Block b : blocks) {
            RowSerializer.writeClustering(out, b.first);
            RowSerializer.writeClustering(out, b.last);
            out.writeUnsignedVInt(b.offset);
            out.writeUnsignedVInt(b.width);
        }
    }

    static IndexEntry read(DataInputPlus in) {
        DecoratedKey key = new DecoratedKey(in.readLong(), in.readBytes());
        long position = in.readUnsignedVInt();
        int n = in.readLength();
        List<Block> blocks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            blocks.add(new Block(RowSerializer.readClustering(in), RowSerializer.readClustering(in),
                    in.readUnsignedVInt(), in.readUnsignedVInt()));
        }
        return new IndexEntry(key, position, blocks);
    }

    /**
     * Scans serialized entries in {@code buf[off, off + len)} (sorted by key) for {@code key}: compares each
     * entry's token and key bytes in place and skips the rest of it, so only the entry found is decoded.
     * This is the point-read hot path (up to a summary interval of entries per read); null if absent.
     */
    static IndexEntry find(byte[] buf, int off, int len, DecoratedKey key) {
        return find(buf, off, len, key, null);
    }

    /**
     * As {@link #find(byte[], int, int, DecoratedKey)}; if {@code end} is given, {@code end[0]} becomes where the
     * found partition ends in the data (the next entry's position), or -1 when the found entry is the last of
     * the run (the caller may know the end otherwise). A point read uses it to copy out just the partition's
     * bytes from the chunk.
     */
    static IndexEntry find(byte[] buf, int off, int len, DecoratedKey key, long[] end) {
        DataInputBuffer in = new DataInputBuffer(buf, off, len);
        byte[] wanted = key.key();
        while (in.remaining() > 0) {
            int entryStart = in.position();
            long token = in.readLong();
            int keyLength = in.readLength();
            int keyStart = in.position();
            in.skip(keyLength);
            int c = Long.compare(token, key.token());
            if (c == 0) {
                c = Arrays.compareUnsigned(buf, keyStart, keyStart + keyLength, wanted, 0, wanted.length);
            }
            if (c == 0) {
                DataInputBuffer at = new DataInputBuffer(buf, entryStart, off + len - entryStart);
                IndexEntry found = read(at);
                if (end != null) {
                    end[0] = -1;
                    if (at.remaining() > 0) {
                        at.readLong();
                        at.skip(at.readLength());
                        end[0] = at.readUnsignedVInt();
                    }
                }
                return found;
            }
            if (c > 0) {
                return null;
            }
            in.readUnsignedVInt();
            int blocks = in.readLength();
            for (int i = 0; i < blocks; i++) {
                skipClustering(in);
                skipClustering(in);
                in.readUnsignedVInt();
                in.readUnsignedVInt();
            }
        }
        return null;
    }

    private static void skipClustering(DataInputBuffer in) {
        int n = in.readLength();
        for (int i = 0; i < n; i++) {
            in.skip(in.readLength());
        }
    }

    /** Reads just the key of an entry and skips the rest (for scanning the index). */
    static DecoratedKey readKeyAndSkip(DataInputPlus in) {
        return read(in).key();
    }

    /** The first block that may hold rows at or after {@code start}, or -1 if every block ends before it. */
    int firstBlockFrom(ClusteringComparator cmp, ClusteringBound start) {
        int lo = 0;
        int hi = blocks.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp.compare(start, blocks.get(mid).last) < 0) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /** The last block that may hold rows at or before {@code end}, or -1 if every block starts after it. */
    int lastBlockUpTo(ClusteringComparator cmp, ClusteringBound end) {
        int lo = 0;
        int hi = blocks.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp.compare(end, blocks.get(mid).first) > 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
