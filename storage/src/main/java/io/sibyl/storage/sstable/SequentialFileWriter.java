package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataOutputBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to a new file through a buffer, tracking the file position. With a trickle interval it fsyncs every
 * that many bytes as it goes (Cassandra's {@code trickle_fsync}): the kernel then never holds an SSTable's tens of
 * megabytes dirty until the final fsync, whose writeback a commit-log fsync would otherwise queue behind.
 */
final class SequentialFileWriter implements AutoCloseable {

    private static final int FLUSH_AT = 64 << 10;

    private final Path file;
    private final FileChannel channel;
    private final DataOutputBuffer buffer = new DataOutputBuffer(FLUSH_AT + 1024);
    private final long trickleBytes;
    private long flushed;
    private long synced;
    private int trickleSyncs;

    /** {@code trickleBytes}: fsync after every this many bytes written; 0 only at {@link #finish}. */
    SequentialFileWriter(Path file, long trickleBytes) throws IOException {
        this.file = file;
        this.trickleBytes = trickleBytes;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    Path file() {
        return file;
    }

    long position() {
        return flushed + buffer.length();
    }

    void write(byte[] b, int off, int len) throws IOException {
        buffer.write(b, off, len);
        if (buffer.length() >= FLUSH_AT) {
            flush();
        }
    }

    void write(DataOutputBuffer b) throws IOException {
        write(b.array(), 0, b.length());
    }

    void writeInt(int v) throws IOException {
        buffer.writeInt(v);
    }

    private void flush() throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer.array(), 0, buffer.length());
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
        flushed += buffer.length();
        buffer.reset();
        if (trickleBytes > 0 && flushed - synced >= trickleBytes) {
            channel.force(false);
            synced = flushed;
            trickleSyncs++;
        }
    }

    /** The fsyncs made while writing (not counting the one of {@link #finish}). */
    int trickleSyncs() {
        return trickleSyncs;
    }

    /** Flushes, fsyncs and closes. */
    void finish() throws IOException {
        flush();
        channel.force(true);
        channel.close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
