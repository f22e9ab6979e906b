package io.sibyl.storage.commitlog;

import io.sibyl.storage.util.Checksums;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte layout of commit-log segments, in one place (docs/storage-format.md has the picture).
 *
 * <pre>
 * segment: header, then records, then zeros up to commitlog_segment_size (v2; v1: records until the file ends)
 * header : magic "SBCL" (4) | format version int (4) | segment id long (8) | CRC32 of the 16 bytes before (4)
 * record : payload length int (4) | CRC32 of those 4 length bytes (4) | payload | CRC32 of the payload (4)
 * </pre>
 * All integers big-endian. The payload is a {@link io.sibyl.storage.serialization.MutationSerializer} mutation.
 */
public final class CommitLogFormat {

    public static final int MAGIC = 0x5342434C; // "SBCL"
    /**
     * Version 2: segments are preallocated (zeros up to the segment size) and a record header of eight zero
     * bytes with only zeros after it is the segment's clean end. Version 1 (read, never written): the file
     * ends where the data ends.
     */
    public static final int VERSION = 2;
    /** The oldest version replay still reads. */
    public static final int MIN_READ_VERSION = 1;
    /** First version whose segments are preallocated (a zero tail is the clean end, not damage). */
    public static final int PREALLOCATED_VERSION = 2;
    /** Suffix of a prepared segment not yet in use (deleted at start; replay ignores it). */
    public static final String SPARE_SUFFIX = ".spare";
    public static final int HEADER_SIZE = 20;
    /** Bytes a record adds around its payload. */
    public static final int RECORD_OVERHEAD = 12;

    private static final Pattern NAME = Pattern.compile("CommitLog-(\\d+)-(\\d+)\\.log");

    private CommitLogFormat() {
    }

    public static String fileName(long segmentId) {
        return "CommitLog-" + VERSION + "-" + segmentId + ".log";
    }

    /** The segment id a file name holds, or -1 if it is not a segment file. */
    public static long segmentId(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        return Long.parseLong(m.group(2));
    }

    public static ByteBuffer header(long segmentId) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putInt(MAGIC).putInt(VERSION).putLong(segmentId);
        b.putInt(Checksums.crc32(b.array(), 0, 16));
        b.flip();
        return b;
    }

    /** Appends one record to {@code out} (which must have {@code payload.length + RECORD_OVERHEAD} bytes free). */
    public static void writeRecord(ByteBuffer out, byte[] payload) {
        if (payload.length == 0) {
            // never: a mutation encodes at least its keyspace, token and key. A zero length would read as the clean end.
            throw new IllegalArgumentException("empty commit log record");
        }
        int start = out.position();
        out.putInt(payload.length);
        out.putInt(Checksums.crc32OfInt(payload.length));
        out.put(payload);
        out.putInt(Checksums.crc32(payload, 0, payload.length));
        assert out.position() - start == payload.length + RECORD_OVERHEAD;
    }

    static int intAt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long longAt(byte[] b, int off) {
        return ((long) intAt(b, off) << 32) | (intAt(b, off + 4) & 0xFFFFFFFFL);
    }
}
