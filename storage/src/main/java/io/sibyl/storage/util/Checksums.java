package io.sibyl.storage.util;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The CRC32 checksums of Sibyl's files (commit-log records, SSTable chunks and components, transaction
 * logs, the replay floor), in one place so every format computes them the same way. A checksum is stored
 * as the low 32 bits (an int) in binary formats and as lower-case hex in text files.
 */
public final class Checksums {

    private Checksums() {
    }

    /** CRC32 of {@code len} bytes of {@code b} from {@code off}. */
    public static int crc32(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** CRC32 of the remaining bytes of {@code b} (its position moves to its limit). */
    public static int crc32(ByteBuffer b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }

    /** CRC32 of the four big-endian bytes of {@code v}. */
    public static int crc32OfInt(int v) {
        return crc32(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}, 0, 4);
    }

    /** CRC32 of the UTF-8 bytes of {@code s}, unsigned (how the text files write it, in hex). */
    public static long crc32(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }
}
