package io.sibyl.storage.sstable;

import io.sibyl.storage.util.Checksums;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;


/**
 * The open data component: reads and verifies chunks by positional reads, so any number of readers
 * share one channel. A chunk whose CRC does not match (or that does not decompress) fails the read that
 * needs it with a {@link CorruptSSTableException} naming the file; other chunks stay readable.
 */
final class DataFile {

    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

    private final Path file;
    private final FileChannel channel;
    private final CompressionInfo info;
    final LongAdder chunksRead = new LongAdder();
    final LongAdder corruptChunks = new LongAdder();
    private volatile ChunkCache chunkCache = ChunkCache.DISABLED;
    private volatile long cacheId;

    DataFile(Path file, FileChannel channel, CompressionInfo info) {
        this.file = file;
        this.channel = channel;
        this.info = info;
    }

    CompressionInfo info() {
        return info;
    }

    Path file() {
        return file;
    }

    long length() {
        return info.dataLength();
    }

    /** Point reads of this file use {@code cache}, under the reader's never-reused {@code id}. */
    void chunkCache(ChunkCache cache, long id) {
        this.cacheId = id;
        this.chunkCache = cache;
    }

    /** Chunk {@code i} from the chunk cache, else read, verified and cached; null when there is no chunk cache. */
    byte[] cachedChunk(int i) {
        ChunkCache c = chunkCache;
        if (!c.isEnabled()) {
            return null;
        }
        byte[] b = c.get(cacheId, i);
        if (b == null) {
            b = chunk(i);
            c.put(cacheId, i, b);
        }
        return b;
    }

    /** The uncompressed bytes of chunk {@code i}, verified, in a new array. */
    byte[] chunk(int i) {
        byte[] out = new byte[info.uncompressedLength(i)];
        chunk(i, out);
        return out;
    }

    /**
     * Decompresses chunk {@code i}, verified, into {@code out} (at least {@link CompressionInfo#chunkLength}
     * long); returns its length. A cursor reuses one buffer for every chunk it enters: a compaction or a
     * scan reads every chunk of the file, and a fresh 64 KiB array per chunk was a third of the node's
     * allocation during a bulk load.
     */
    int chunk(int i, byte[] out) {
        if (i < 0 || i >= info.chunkCount()) {
            throw new CorruptSSTableException(file, "chunk " + i + " out of range (" + info.chunkCount() + " chunks)", null);
        }
        chunksRead.increment();
        int stored = info.storedLength(i);
        long offset = info.chunkOffsets()[i];
        if (stored < 4) {
            throw corrupt(i, offset, "stored chunk of " + stored + " bytes is shorter than its checksum", null);
        }
        // The compressed bytes live only for this call: a reused per-thread direct buffer, so the positional
        // read lands in it without the JDK's extra copy through a temporary direct buffer, and the checksum
        // and the decompressor read it in place.
        ByteBuffer buf = ReadBuffers.compressedChunk(stored);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, offset + buf.position()) < 0) {
                    throw corrupt(i, offset, "file ends inside the chunk", null);
                }
            }
        } catch (IOException e) {
            throw corrupt(i, offset, "read failed: " + e.getMessage(), e);
        }
        int n = stored - 4;
        int crc = buf.getInt(n);
        if (crc != Checksums.crc32(buf.position(0).limit(n))) {
            throw corrupt(i, offset, "checksum mismatch", null);
        }
        int expected = info.uncompressedLength(i);
        try {
            int got = DECOMPRESSOR.decompress(buf, 0, n, ByteBuffer.wrap(out), 0, expected);
            if (got != expected) {
                throw corrupt(i, offset, "decompressed to " + got + " bytes, expected " + expected, null);
            }
        } catch (LZ4Exception e) {
            throw corrupt(i, offset, "does not decompress: " + e.getMessage(), e);
        }
        return expected;
    }

    private CorruptSSTableException corrupt(int chunk, long offset, String why, Throwable cause) {
        corruptChunks.increment();
        return new CorruptSSTableException(file, "chunk " + chunk + " at offset " + offset + ": " + why, cause);
    }

    void close() throws IOException {
        chunkCache.invalidate(cacheId);
        channel.close();
    }
}
