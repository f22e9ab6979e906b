package io.sibyl.storage.sstable;

import java.nio.ByteBuffer;

/**
 * Per-thread scratch buffers for point reads, so a read does not allocate a fresh index run or
 * compressed-chunk buffer each time. A buffer handed out here is only valid until the same thread asks
 * for the same kind again: callers use it within one method call and never keep it.
 */
final class ReadBuffers {

    /** Larger runs or chunks are allocated per call and not kept, so a rare huge one does not pin memory. */
    static final int MAX_KEPT = 1 << 20;

    private static final ThreadLocal<byte[][]> BUFFERS = ThreadLocal.withInitial(() -> new byte[2][]);

    private static final int INDEX = 0;
    private static final int CHUNK = 1;

    private static final ThreadLocal<ByteBuffer[]> DIRECT = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private ReadBuffers() {
    }

    /** A buffer of at least {@code n} bytes for scanning a run of the partition index. */
    static byte[] indexRun(int n) {
        return get(INDEX, n);
    }

    /**
     * A buffer of at least {@code n} bytes to decompress one chunk into, for a caller that copies out what it
     * needs before returning.
     */
    static byte[] chunk(int n) {
        return get(CHUNK, n);
    }

    /**
     * A direct buffer for one stored (compressed) chunk of {@code n} bytes: position 0, limit {@code n}.
     * Over {@link #MAX_KEPT} a heap buffer is allocated for the call instead.
     */
    static ByteBuffer compressedChunk(int n) {
        if (n > MAX_KEPT) {
            return ByteBuffer.allocate(n);
        }
        ByteBuffer[] holder = DIRECT.get();
        ByteBuffer b = holder[0];
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(Math.max(n, b == null ? 16 << 10 : Math.min(MAX_KEPT, b.capacity() * 2)));
            holder[0] = b;
        }
        b.clear().limit(n);
        return b;
    }

    private static byte[] get(int kind, int n) {
        if (n > MAX_KEPT) {
            return new byte[n];
        }
        byte[][] all = BUFFERS.get();
        byte[] b = all[kind];
        if (b == null || b.length < n) {
            b = new byte[Math.max(n, b == null ? 4096 : Math.min(MAX_KEPT, b.length * 2))];
            all[kind] = b;
        }
        return b;
    }
}
