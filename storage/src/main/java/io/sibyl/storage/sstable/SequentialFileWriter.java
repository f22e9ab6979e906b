package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataOutputBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends to a new file through a buffer, tracking the file position. */
final class SequentialFileWriter implements AutoCloseable {

    private static final int FLUSH_AT = 64 << 10;

    private final Path file;
    private final FileChannel channel;
    private final DataOutputBuffer buffer = new DataOutputBuffer(FLUSH_AT + 1024);
    private long flushed;

    SequentialFileWriter(Path file) throws IOException {
        this.file = file;
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
