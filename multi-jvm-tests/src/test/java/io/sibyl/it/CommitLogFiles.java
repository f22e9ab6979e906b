package io.sibyl.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a node's commit-log segments as docs/storage-format.md describes them (written independently of
 * the engine's code, so the tests check the documented format): a 20-byte header, then records of
 * {@code length:int32 length_crc:int32 payload payload_crc:int32}, then (version 2, preallocated) zeros up to
 * the segment size: eight zero bytes where a record header would start are the end.
 */
final class CommitLogFiles {
    static final int HEADER_SIZE = 20;

    private CommitLogFiles() {}

    /** The segment files of a node's data directory, oldest (lowest id) first. */
    static List<Path> segments(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("commitlog"))) {
            return s.filter(p -> p.getFileName().toString().matches("CommitLog-\\d+-\\d+\\.log"))
                    .sorted(Comparator.comparingLong(CommitLogFiles::segmentId))
                    .toList();
        }
    }

    static long segmentId(Path file) {
        String n = file.getFileName().toString();
        return Long.parseLong(n.substring(n.lastIndexOf('-') + 1, n.length() - 4));
    }

    /** Start offsets of the records in a segment, read by their lengths (the file must be intact). */
    static List<Integer> recordOffsets(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Integer> out = new ArrayList<>();
        int pos = HEADER_SIZE;
        while (pos + 12 <= b.limit() && b.getLong(pos) != 0) {
            int length = b.getInt(pos);
            out.add(pos);
            pos += 12 + length;
        }
        if (pos > b.limit()) {
            throw new IllegalStateException(file + ": records run past the end of the file (" + pos + " vs " + b.limit() + ")");
        }
        for (int p = pos; p < b.limit(); p++) {
            if (b.get(p) != 0) {
                throw new IllegalStateException(file + ": non-zero byte at " + p + " after the records' end " + pos);
            }
        }
        return out;
    }

    /** Where the records of an intact segment end (its zero tail starts there). */
    static int recordsEnd(Path file) throws IOException {
        List<Integer> records = recordOffsets(file);
        if (records.isEmpty()) {
            return HEADER_SIZE;
        }
        int last = records.get(records.size() - 1);
        return last + 12 + ByteBuffer.wrap(Files.readAllBytes(file)).getInt(last);
    }

    /** Flips the bits of one byte. */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        all[(int) offset] ^= 0x5A;
        Files.write(file, all);
    }
}
