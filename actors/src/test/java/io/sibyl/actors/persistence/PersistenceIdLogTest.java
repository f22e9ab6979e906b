package io.sibyl.actors.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceIdLogTest {

    @TempDir
    Path dir;

    private static JournalSegment.Entry entry(long seq) {
        return new JournalSegment.Entry(seq, ("event-" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Long> replay(PersistenceIdLog log, long from, long to, long max) throws IOException {
        List<Long> seen = new ArrayList<>();
        log.replay(from, to, max, e -> {
            assertEquals("event-" + e.sequenceNr(), new String(e.payload(), StandardCharsets.UTF_8));
            seen.add(e.sequenceNr());
        });
        return seen;
    }

    private static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            l.add(i);
        }
        return l;
    }

    private void writeEach(PersistenceIdLog log, long from, long to) throws IOException {
        for (long i = from; i <= to; i++) {
            log.append(List.of(entry(i)));
        }
    }

    private long segmentCount() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void writesAndReplaysRangesAndLimits() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 64, false)) {
            assertEquals(0, log.highestSequenceNr());
            writeEach(log, 1, 10);
            log.append(List.of(entry(11), entry(12), entry(13)));
            assertEquals(13, log.highestSequenceNr());
            assertEquals(range(1, 13), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(range(3, 7), replay(log, 3, 7, Long.MAX_VALUE));
            assertEquals(range(4, 6), replay(log, 4, 100, 3));
            assertEquals(List.of(), replay(log, 5, 100, 0));
            assertEquals(List.of(), replay(log, 14, 100, 10));
        }
        assertTrue(segmentCount() > 1, "64-byte segments roll over");
    }

    @Test
    void survivesReopenAndContinuesInANewSegment() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, true)) {
            writeEach(log, 1, 5);
        }
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, true)) {
            assertEquals(5, log.highestSequenceNr());
            writeEach(log, 6, 8);
            assertEquals(range(1, 8), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        assertEquals(2, segmentCount());
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, true)) {
            assertEquals(range(1, 8), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void deleteRemovesWholeSegmentsAndRemembersTheMark() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 64, false)) {
            writeEach(log, 1, 20);
            long before = segmentCount();
            log.deleteTo(10);
            assertTrue(segmentCount() < before, "segments below the mark are gone");
            assertEquals(range(11, 20), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
            log.deleteTo(5); // never moves back
            assertEquals(10, log.deletedTo());
        }
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 64, false)) {
            assertEquals(10, log.deletedTo());
            assertEquals(range(11, 20), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
            log.deleteTo(Long.MAX_VALUE);
            assertEquals(20, log.highestSequenceNr(), "deleting everything keeps the highest sequence number");
            assertEquals(List.of(), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(0, segmentCount());
        }
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 64, false)) {
            assertEquals(20, log.highestSequenceNr());
            writeEach(log, 21, 22);
            assertEquals(range(21, 22), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void tornTailIsIgnoredAndTheLogStaysWritable() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            writeEach(log, 1, 5);
        }
        Path seg = dir.resolve(JournalSegment.fileName(1));
        long size = Files.size(seg);
        // Cut the last record in half, as a crash mid-append would.
        try (var ch = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 4);
        }
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            assertEquals(4, log.highestSequenceNr());
            assertEquals(range(1, 4), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
            writeEach(log, 5, 6);
        }
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            assertEquals(range(1, 6), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void aFlippedByteEndsTheSegmentThere() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            writeEach(log, 1, 5);
        }
        Path seg = dir.resolve(JournalSegment.fileName(1));
        byte[] bytes = Files.readAllBytes(seg);
        int recordSize = JournalSegment.RECORD_HEADER + "event-1".length();
        bytes[2 * recordSize + JournalSegment.RECORD_HEADER + 1] ^= 0x40; // payload of the third record
        Files.write(seg, bytes);
        JournalSegment.Scan scan = JournalSegment.scan(seg);
        assertEquals(2, scan.entries().size());
        assertTrue(scan.tornTail());
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            assertEquals(range(1, 2), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void aSegmentWithNothingValidIsRemovedAtOpen() throws IOException {
        Files.write(dir.resolve(JournalSegment.fileName(1)), new byte[] {1, 2, 3});
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            assertEquals(0, log.highestSequenceNr());
            writeEach(log, 1, 2);
            assertEquals(range(1, 2), replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        assertFalse(JournalSegment.scan(dir.resolve(JournalSegment.fileName(1))).tornTail());
    }

    @Test
    void aCorruptDeletedToMarkIsAnError() throws IOException {
        try (PersistenceIdLog log = PersistenceIdLog.open(dir, 1 << 20, false)) {
            writeEach(log, 1, 3);
            log.deleteTo(2);
        }
        Path mark = dir.resolve(PersistenceIdLog.DELETED_TO);
        byte[] bytes = Files.readAllBytes(mark);
        bytes[7] ^= 1;
        Files.write(mark, bytes);
        assertThrows(IOException.class, () -> PersistenceIdLog.open(dir, 1 << 20, false));
    }
}
