package io.sibyl.actors.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The byte layout of one journal segment file, in one place (docs/storage-format.md has the picture).
 *
 * <pre>
 * file name: &lt;first sequence number, 20 digits&gt;.seg
 * record   : payload length int (4) | CRC32C of (sequence number + payload) int (4) | sequence number long (8) | payload
 * </pre>
 * All integers big-endian. The payload is a Pekko-serialized {@code PersistentRepr}. A segment holds the
 * events of one persistence id in increasing sequence-number order. Reading stops at the first record
 * whose length or checksum is wrong: that is a torn tail left by a crash mid-append.
 */
final class JournalSegment {

    static final int RECORD_HEADER = 16;
    /** No event is this large; a bigger length field is garbage, not a record. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

    /** One decoded record. */
    record Entry(long sequenceNr, byte[] payload) {
    }

    /** What a scan found: the valid records, and whether bytes after them were ignored (torn tail). */
    record Scan(List<Entry> entries, long validBytes, boolean tornTail) {
    }

    private JournalSegment() {
    }

    static String fileName(long firstSequenceNr) {
        return String.format("%020d.seg", firstSequenceNr);
    }

    /** The first sequence number a file name holds, or -1 if it is not a segment file. */
    static long firstSequenceNr(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static int recordSize(byte[] payload) {
        return RECORD_HEADER + payload.length;
    }

    static void writeRecord(ByteBuffer out, long sequenceNr, byte[] payload) {
        out.putInt(payload.length);
        out.putInt(crc(sequenceNr, payload, 0, payload.length));
        out.putLong(sequenceNr);
        out.put(payload);
    }

    /** Reads every valid record of {@code file}, stopping quietly at the first invalid one. */
    static Scan scan(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Entry> entries = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        while (in.remaining() >= RECORD_HEADER) {
            int start = in.position();
            int length = in.getInt();
            int crc = in.getInt();
            long seq = in.getLong();
            if (length < 0 || length > MAX_PAYLOAD || length > in.remaining()
                    || crc != crc(seq, bytes, in.position(), length) || seq <= previous) {
                in.position(start);
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            entries.add(new Entry(seq, payload));
            previous = seq;
        }
        return new Scan(entries, in.position(), in.position() < bytes.length);
    }

    static int crc(long sequenceNr, byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer seq = ByteBuffer.allocate(8).putLong(0, sequenceNr);
        crc.update(seq);
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }
}
