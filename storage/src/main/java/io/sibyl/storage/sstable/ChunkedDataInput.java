package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.MalformedDataException;

/**
 * A cursor over the uncompressed data stream of one SSTable: decompresses a chunk only when the cursor
 * enters it, so a read touches only the chunks holding what it reads. One per read; not thread-safe.
 */
final class ChunkedDataInput extends DataInputPlus {

    private final DataFile data;
    /** The current chunk's bytes are {@code chunk[0, chunkLength)}; the array is reused from chunk to chunk. */
    private byte[] chunk;
    private int chunkLength;
    private int chunkIndex = -1;
    private long chunkStart;
    private long position;

    ChunkedDataInput(DataFile data) {
        this.data = data;
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

    private void load() {
        int i = data.info().chunkOf(position);
        if (i != chunkIndex) {
            if (chunk == null) {
                chunk = new byte[data.info().chunkLength()];
            }
            // Until the chunk is in, nothing is current: a failed read must not leave a half-decompressed chunk readable.
            chunkIndex = -1;
            chunkLength = 0;
            chunkLength = data.chunk(i, chunk);
            chunkIndex = i;
            chunkStart = (long) i * data.info().chunkLength();
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
