package io.sibyl.storage.sstable;

import io.sibyl.storage.util.Checksums;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the data component: an uncompressed byte stream cut into fixed-size chunks, each LZ4-compressed
 * and followed by the CRC32 of its compressed bytes. Positions handed out are uncompressed positions.
 */
final class CompressedDataWriter implements AutoCloseable {

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();

    private final SequentialFileWriter out;
    private final int chunkLength;
    private final byte[] chunk;
    private int inChunk;
    private long uncompressed;
    private long[] offsets = new long[16];
    private int chunks;
    private byte[] compressed;

    CompressedDataWriter(Path file, int chunkLength, long trickleFsyncBytes) throws IOException {
        this.out = new SequentialFileWriter(file, trickleFsyncBytes);
        this.chunkLength = chunkLength;
        this.chunk = new byte[chunkLength];
        this.compressed = new byte[COMPRESSOR.maxCompressedLength(chunkLength)];
    }

    /** The uncompressed position the next byte will have. */
    long position() {
        return uncompressed;
    }

    void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunkLength - inChunk);
            System.arraycopy(b, off, chunk, inChunk, n);
            inChunk += n;
            off += n;
            len -= n;
            uncompressed += n;
            if (inChunk == chunkLength) {
                flushChunk();
            }
        }
    }

    private void flushChunk() throws IOException {
        if (inChunk == 0) {
            return;
        }
        if (chunks == offsets.length) {
            offsets = Arrays.copyOf(offsets, chunks * 2);
        }
        offsets[chunks++] = out.position();
        int n = COMPRESSOR.compress(chunk, 0, inChunk, compressed, 0, compressed.length);
        out.write(compressed, 0, n);
        out.writeInt(Checksums.crc32(compressed, 0, n));
        inChunk = 0;
    }

    /** Writes the last chunk, syncs and closes; returns the chunk map. */
    CompressionInfo finish() throws IOException {
        flushChunk();
        long length = out.position();
        out.finish();
        return new CompressionInfo(chunkLength, uncompressed, Arrays.copyOf(offsets, chunks), length);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
