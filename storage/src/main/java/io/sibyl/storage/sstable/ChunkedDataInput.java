package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.MalformedDataException;

/**
 * A cursor over the uncompressed data stream of one SSTable: decompresses a chunk only when the cursor
 * enters it, so a read touches only the chunks holding what it reads. One per read; not thread-safe.
 *
 * <p>When the end of the partition being read is known and the partition is small (a point read of a narrow
 * partition), the chunk is decompressed — and its checksum verified, as always — into a per-thread scratch
 * buffer and only the partition's bytes are copied out into a buffer of their size: a point read used to
 * allocate a whole chunk (64 KiB) per SSTable it touched, most of the node's allocation on a read load.
 * Otherwise (wide partitions) the cursor keeps one chunk-sized buffer of its own. The partitions of one scan
 * (range reads, compaction) share a {@link ScanChunk}: a chunk is decompressed once for all the partitions in
 * it, not once per partition (with 1 KB rows a scan decompressed and allocated each 64 KiB chunk ~60 times).
 */
final class ChunkedDataInput extends DataInputPlus {

    private final DataFile data;
    /** Where the partition ends in the data, or -1 if unknown; only an optimisation, never a bound on reads. */
    private final long limit;
    /** The current window's bytes are {@code chunk[0, chunkLength)}, data positions {@code [chunkStart, ..)}. */
    private byte[] chunk;
    private int chunkLength;
    private long chunkStart;
    private long position;
    /** This cursor's own whole-chunk buffer, reused from chunk to chunk; allocated on first need. */
    private byte[] whole;
    /** The scan's last decompressed chunk, shared with its other partitions' cursors; null outside a scan. */
    private final ScanChunk shared;

    ChunkedDataInput(DataFile data) {
        this(data, -1);
    }

    ChunkedDataInput(DataFile data, long limit) {
        this.data = data;
        this.limit = limit;
        this.shared = null;
    }

    /** A cursor of one of a scan's partitions: whole chunks, through the scan's {@code shared} last chunk. */
    ChunkedDataInput(DataFile data, ScanChunk shared) {
        this.data = data;
        this.limit = -1;
        this.shared = shared;
    }

    void seek(long pos) {
        if (pos < 0 || pos > data.length()) {
            throw new MalformedDataException("seek to " + pos + " outside data of length " + data.length());
        }
        position = pos;
    }

    long position() {
        return position;
    }

    /** Makes a window holding {@code position} current (the caller checked that position is inside the data). */
    private void load() {
        long inWindow = position - chunkStart;
        if (inWindow >= 0 && inWindow < chunkLength) {
            return;
        }
        CompressionInfo info = data.info();
        int i = info.chunkOf(position);
        long start = (long) i * info.chunkLength();
        // Until the chunk is in, nothing is current: a failed read must not leave a half-decompressed chunk readable.
        chunkLength = 0;
        chunkStart = 0;
        long wanted = limit - position;
        if (wanted > 0 && wanted <= info.chunkLength() / 2) {
            byte[] scratch = data.cachedChunk(i); // the chunk cache's verified copy, if there is a chunk cache
            int n;
            if (scratch != null) {
                n = scratch.length;
            } else {
                scratch = ReadBuffers.chunk(info.chunkLength());
                n = data.chunk(i, scratch);
            }
            int from = (int) (position - start);
            int w = (int) Math.min(n - from, wanted);
            if (chunk == null || chunk == whole || chunk.length < w) {
                chunk = new byte[w];
            }
            System.arraycopy(scratch, from, chunk, 0, w);
            chunkStart = position;
            chunkLength = w;
        } else if (shared != null) {
            if (shared.index != i) {
                // a new array, never one another cursor of the scan may still be reading
                byte[] b = new byte[info.chunkLength()];
                int n = data.chunk(i, b);
                shared.bytes = b;
                shared.length = n;
                shared.index = i;
            }
            chunk = shared.bytes;
            chunkLength = shared.length;
            chunkStart = start;
        } else {
            if (whole == null) {
                whole = new byte[info.chunkLength()];
            }
            chunk = whole;
            chunkLength = data.chunk(i, whole);
            chunkStart = start;
        }
    }

    @Override
    public int readUnsignedByte() {
        long inChunk = position - chunkStart;
        if (inChunk >= 0 && inChunk < chunkLength) {
            position++;
            return chunk[(int) inChunk] & 0xFF;
        }
        if (position >= data.length()) {
            throw new MalformedDataException("read past the end of the data");
        }
        load();
        return chunk[(int) (position++ - chunkStart)] & 0xFF;
    }

    @Override
    public void readFully(byte[] dest, int off, int n) {
        if (n > data.length() - position) {
            throw new MalformedDataException("read of " + n + " bytes past the end of the data");
        }
        while (n > 0) {
            load();
            int inChunk = (int) (position - chunkStart);
            int k = Math.min(n, chunkLength - inChunk);
            System.arraycopy(chunk, inChunk, dest, off, k);
            position += k;
            off += k;
            n -= k;
        }
    }

    @Override
    public void skip(long n) {
        seek(position + n);
    }

    @Override
    public long remaining() {
        return data.length() - position;
    }
}
