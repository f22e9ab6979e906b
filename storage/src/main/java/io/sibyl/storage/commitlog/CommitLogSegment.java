package io.sibyl.storage.commitlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One commit-log file being written (or written and waiting to be deleted). The file has its full size
 * from the start (preallocated with zeros, see {@link #prepare}); records overwrite the zeros. It records, per table, the
 * offset of the last record that touched the table: the segment may be deleted only after every table
 * dirty in it has flushed past that record.
 */
final class CommitLogSegment {

    private static final int ZERO_CHUNK = 1 << 20;

    private final long id;
    private final Path file;
    private final FileChannel channel;
    private final int capacity;
    private int position;
    /** table id → offset of the table's last record here. Only the writer adds; flushes remove. */
    private final Map<UUID, Integer> dirty = new ConcurrentHashMap<>();
    private volatile boolean finished;
    private final AtomicBoolean deleted = new AtomicBoolean();

    private CommitLogSegment(long id, Path file, FileChannel channel, int capacity) {
        this.id = id;
        this.file = file;
        this.channel = channel;
        this.capacity = capacity;
        this.position = CommitLogFormat.HEADER_SIZE;
    }

    /** The name a prepared (not yet used) segment has until it is activated; replay never sees it. */
    static Path spareFile(Path dir, long id) {
        return dir.resolve(CommitLogFormat.fileName(id) + CommitLogFormat.SPARE_SUFFIX);
    }

    /**
     * Creates a segment file at its full size: the header, then zeros up to {@code capacity}, fsynced (file
     * and directory), under its spare name. Records later overwrite the zeros in place, so a group-commit
     * fdatasync never has to commit a size change. The file is always new (never recycled content).
     */
    static Path prepare(Path dir, long id, int capacity) throws IOException {
        Path file = spareFile(dir, id);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = CommitLogFormat.header(id);
            long at = 0;
            while (header.hasRemaining()) {
                at += ch.write(header, at);
            }
            ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, capacity));
            while (at < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                while (zeros.hasRemaining()) {
                    at += ch.write(zeros, at);
                }
            }
            ch.force(true);
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("cannot prepare commit log segment " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Puts a prepared segment to use: renames it to its segment name (replay sees it from now on) and makes
     * the rename durable before any record written to it can be acknowledged.
     */
    static CommitLogSegment activate(Path dir, Path prepared, long id, int capacity) throws IOException {
        Path file = dir.resolve(CommitLogFormat.fileName(id));
        Files.move(prepared, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        return new CommitLogSegment(id, file, ch, capacity);
    }

    /** Prepares and activates a segment at once (the first segment, or no spare was ready). */
    static CommitLogSegment create(Path dir, long id, int capacity) throws IOException {
        return activate(dir, prepare(dir, id, capacity), id, capacity);
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    long id() {
        return id;
    }

    Path file() {
        return file;
    }

    int position() {
        return position;
    }

    boolean hasRoom(int bytes) {
        return position + bytes <= capacity;
    }

    /** Writes records at the end; the caller has checked the room. Returns the offset they start at. */
    int append(ByteBuffer records) throws IOException {
        int start = position;
        long at = start;
        while (records.hasRemaining()) {
            at += channel.write(records, at);
        }
        position = (int) at;
        return start;
    }

    void markDirty(UUID tableId, int offset) {
        dirty.merge(tableId, offset, Math::max);
    }

    /** Forgets a table's records that lie before {@code upTo}; true if no table is dirty here any more. */
    boolean markClean(UUID tableId, CommitLogPosition upTo) {
        dirty.computeIfPresent(tableId, (t, off) -> new CommitLogPosition(id, off).isBefore(upTo) ? null : off);
        return dirty.isEmpty();
    }

    void forget(UUID tableId) {
        dirty.remove(tableId);
    }

    boolean isClean() {
        return dirty.isEmpty();
    }

    Map<UUID, Integer> dirtyTables() {
        return Map.copyOf(dirty);
    }

    void sync() throws IOException {
        channel.force(false);
    }

    /** No more records will be written here (it is synced and closed). */
    void finish() throws IOException {
        try {
            channel.force(false);
        } finally {
            channel.close();
            finished = true;
        }
    }

    boolean isFinished() {
        return finished;
    }

    /** Deletes the file once; returns true the first time. */
    boolean delete() throws IOException {
        if (!deleted.compareAndSet(false, true)) {
            return false;
        }
        if (channel.isOpen()) {
            channel.close();
        }
        Files.deleteIfExists(file);
        return true;
    }

    @Override
    public String toString() {
        return file.getFileName() + "(dirty=" + dirty.keySet() + ")";
    }
}
