package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MalformedDataException;

/**
 * Where each chunk of the data file lives. Chunk {@code i} holds uncompressed bytes
 * {@code [i * chunkLength, min((i + 1) * chunkLength, dataLength))} and is stored at file offset
 * {@code chunkOffsets[i]}, its compressed bytes followed by their CRC32, up to the next chunk's offset
 * (or {@code compressedLength} for the last).
 */
public record CompressionInfo(int chunkLength, long dataLength, long[] chunkOffsets, long compressedLength) {

    public int chunkCount() {
        return chunkOffsets.length;
    }

    public int chunkOf(long position) {
        return (int) (position / chunkLength);
    }

    /** Uncompressed length of chunk {@code i}. */
    public int uncompressedLength(int i) {
        return (int) Math.min(chunkLength, dataLength - (long) i * chunkLength);
    }

    /** Stored length of chunk {@code i}, CRC included. */
    public int storedLength(int i) {
        long end = i + 1 < chunkOffsets.length ? chunkOffsets[i + 1] : compressedLength;
        return (int) (end - chunkOffsets[i]);
    }

    public void write(DataOutputBuffer out) {
        out.writeInt(chunkLength);
        out.writeLong(dataLength);
        out.writeLong(compressedLength);
        out.writeInt(chunkOffsets.length);
        for (long o : chunkOffsets) {
            out.writeLong(o);
        }
    }

    public static CompressionInfo read(DataInputPlus in) {
        int chunkLength = in.readInt();
        long dataLength = in.readLong();
        long compressedLength = in.readLong();
        int n = in.readInt();
        if (chunkLength <= 0 || dataLength < 0 || n < 0 || n > in.remaining() / 8
                || (long) n * chunkLength < dataLength || (n > 0 && (long) (n - 1) * chunkLength >= dataLength)) {
            throw new MalformedDataException("inconsistent compression info: chunk " + chunkLength + ", length "
                    + dataLength + ", " + n + " chunks");
        }
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = in.readLong();
            if (i > 0 && offsets[i] <= offsets[i - 1]) {
                throw new MalformedDataException("chunk offsets not increasing at chunk " + i);
            }
        }
        return new CompressionInfo(chunkLength, dataLength, offsets, compressedLength);
    }
}
