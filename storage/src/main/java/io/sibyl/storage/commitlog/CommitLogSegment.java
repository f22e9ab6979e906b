package io.sibyl.storage.commitlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One commit-log file being written (or written and waiting to be deleted). It records, per table, the
 * offset of the last record that touched the table: the segment may be deleted only after every table
 * dirty in it has flushed past that record.
 */
final class CommitLogSegment {

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

    static CommitLogSegment create(Path dir, long id, int capacity) throws IOException {
        Path file = dir.resolve(CommitLogFormat.fileName(id));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = CommitLogFormat.header(id);
            while (header.hasRemaining()) {
                ch.write(header);
            }
            // Make the new file's directory entry durable, or an fsync'd record could sit in a lost file.
            ch.force(true);
            syncDirectory(dir);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new CommitLogSegment(id, file, ch, capacity);
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
