package io.sibyl.actors.persistence;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one persistence id: a directory of append-only {@link JournalSegment} files plus a
 * {@code deleted-to} mark. Not thread-safe: the journal actor is its only user.
 *
 * <p>Invariants: a segment is never appended to after this log was (re)opened — new events go to a
 * fresh segment — so valid records never follow a torn tail; a segment is deleted only when every
 * event in it is at or below the durable deleted-to mark, which is written (and fsynced) first.
 */
final class PersistenceIdLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceIdLog.class);
    static final String DELETED_TO = "deleted-to";

    /** A segment on disk: its first and last valid sequence numbers. */
    private static final class Segment {
        final Path path;
        final long first;
        long last;
        long bytes;

        Segment(Path path, long first, long last, long bytes) {
            this.path = path;
            this.first = first;
            this.last = last;
            this.bytes = bytes;
        }
    }

    private final Path dir;
    private final long segmentSize;
    private final boolean fsync;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long deletedTo;
    private long highest;
    private FileChannel writer;
    private Segment writing;

    private PersistenceIdLog(Path dir, long segmentSize, boolean fsync) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.fsync = fsync;
    }

    /** Opens (or creates lazily on first write) the log in {@code dir}, scanning its segments. */
    static PersistenceIdLog open(Path dir, long segmentSize, boolean fsync) throws IOException {
        PersistenceIdLog log = new PersistenceIdLog(dir, segmentSize, fsync);
        log.load();
        return log;
    }

    private void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        deletedTo = readDeletedTo(dir.resolve(DELETED_TO));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path f : files) {
                long first = JournalSegment.firstSequenceNr(f);
                if (first < 0) {
                    continue;
                }
                JournalSegment.Scan scan = JournalSegment.scan(f);
                if (scan.entries().isEmpty()) {
                    // Nothing valid in it (a crash right after creating it): its name would clash
                    // with the segment the next write creates.
                    Files.delete(f);
                    continue;
                }
                if (scan.tornTail()) {
                    LOG.warn("journal segment {}: ignoring {} bytes after the last valid record (torn tail)",
                            f, Files.size(f) - scan.validBytes());
                }
                long last = scan.entries().get(scan.entries().size() - 1).sequenceNr();
                segments.put(first, new Segment(f, first, last, scan.validBytes()));
            }
        }
        // Segments wholly below the mark may survive a crash between writing the mark and deleting them.
        dropSegmentsUpTo(deletedTo);
        highest = Math.max(deletedTo, segments.isEmpty() ? 0 : segments.lastEntry().getValue().last);
    }

    long highestSequenceNr() {
        return highest;
    }

    long deletedTo() {
        return deletedTo;
    }

    /** Appends events (in increasing sequence-number order) and, when configured, fsyncs them. */
    void append(List<JournalSegment.Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        if (writer == null || writing.bytes >= segmentSize) {
            startSegment(entries.get(0).sequenceNr());
        }
        int size = 0;
        for (JournalSegment.Entry e : entries) {
            size += JournalSegment.recordSize(e.payload());
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (JournalSegment.Entry e : entries) {
            JournalSegment.writeRecord(buf, e.sequenceNr(), e.payload());
        }
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                writer.write(buf);
            }
            if (fsync) {
                writer.force(false);
            }
        } catch (IOException e) {
            abandonSegment();
            throw e;
        }
        writing.bytes += size;
        writing.last = entries.get(entries.size() - 1).sequenceNr();
        highest = Math.max(highest, writing.last);
    }

    /**
     * After a failed append the segment may end in a partial record: nothing more goes into it (valid
     * records must never follow garbage), and if it holds no valid record it goes, so a retry of the
     * same sequence number can create a segment of that name again.
     */
    private void abandonSegment() {
        Segment s = writing;
        try {
            closeWriter();
            if (s != null && s.last < s.first) {
                segments.remove(s.first);
                Files.deleteIfExists(s.path);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean up journal segment {} after a failed write", s == null ? null : s.path, e);
        }
    }

    private void startSegment(long firstSeq) throws IOException {
        closeWriter();
        Files.createDirectories(dir);
        Path path = dir.resolve(JournalSegment.fileName(firstSeq));
        writer = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        writing = new Segment(path, firstSeq, firstSeq - 1, 0);
        segments.put(firstSeq, writing);
        if (fsync) {
            syncDirectory(dir);
        }
    }

    /** Calls {@code onEvent} for up to {@code max} events with sequence numbers in [from, to], in order. */
    void replay(long from, long to, long max, Consumer<JournalSegment.Entry> onEvent) throws IOException {
        long start = Math.max(from, deletedTo + 1);
        long count = 0;
        for (Segment s : segments.values()) {
            if (count >= max || s.first > to) {
                break;
            }
            if (s.last < start) {
                continue;
            }
            for (JournalSegment.Entry e : JournalSegment.scan(s.path).entries()) {
                if (e.sequenceNr() > s.last || e.sequenceNr() > to || count >= max) {
                    break;
                }
                if (e.sequenceNr() >= start) {
                    onEvent.accept(e);
                    count++;
                }
            }
        }
    }

    /**
     * Marks every event up to {@code toSeq} (capped at the highest written, so the highest sequence
     * number survives) deleted, durably, then removes the segments that hold only deleted events.
     */
    void deleteTo(long toSeq) throws IOException {
        long mark = Math.min(toSeq, highest);
        if (mark <= deletedTo) {
            return;
        }
        Files.createDirectories(dir);
        writeDeletedTo(dir, mark);
        deletedTo = mark;
        dropSegmentsUpTo(mark);
    }

    private void dropSegmentsUpTo(long mark) throws IOException {
        List<Long> gone = new ArrayList<>();
        for (Segment s : segments.values()) {
            if (s.last <= mark) {
                gone.add(s.first);
            }
        }
        for (Long first : gone) {
            Segment s = segments.remove(first);
            if (s == writing) {
                closeWriter();
            }
            Files.deleteIfExists(s.path);
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
            writing = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeWriter();
    }

    // deleted-to file: sequence number long (8) | CRC32C of it (4); replaced atomically via a temp file.

    static long readDeletedTo(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() != 12) {
            throw new IOException("corrupt journal deleted-to mark " + file + " (" + b.remaining() + " bytes)");
        }
        long mark = b.getLong();
        if (b.getInt() != crcOf(mark)) {
            throw new IOException("corrupt journal deleted-to mark " + file + " (checksum)");
        }
        return mark;
    }

    private void writeDeletedTo(Path dir, long mark) throws IOException {
        Path tmp = dir.resolve(DELETED_TO + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(12).putLong(mark).putInt(crcOf(mark));
        b.flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, dir.resolve(DELETED_TO), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(DELETED_TO), StandardCopyOption.REPLACE_EXISTING);
        }
        if (fsync) {
            syncDirectory(dir);
        }
    }

    private static int crcOf(long mark) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, mark));
        return (int) crc.getValue();
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or fsync a directory; file contents are still synced.
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
