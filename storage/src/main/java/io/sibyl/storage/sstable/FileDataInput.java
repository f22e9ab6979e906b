package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.MalformedDataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A buffered cursor over an uncompressed file (the partition index) using positional reads. */
final class FileDataInput extends DataInputPlus {

    private final FileChannel channel;
    private final long length;
    private final ByteBuffer buf;
    private long bufStart;
    private long position;

    FileDataInput(FileChannel channel, long length, long start, int bufferSize) {
        this.channel = channel;
        this.length = length;
        this.buf = ByteBuffer.allocate(bufferSize);
        this.buf.limit(0);
        this.bufStart = start;
        this.position = start;
    }

    long position() {
        return position;
    }

    boolean isEof() {
        return position >= length;
    }

    private void fill() {
        buf.clear();
        bufStart = position;
        try {
            while (buf.hasRemaining() && bufStart + buf.position() < length) {
                if (channel.read(buf, bufStart + buf.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.flip();
    }

    private int available() {
        long inBuf = position - bufStart;
        return inBuf < 0 || inBuf > buf.limit() ? 0 : (int) (buf.limit() - inBuf);
    }

    @Override
    public int readUnsignedByte() {
        if (position >= length) {
            throw new MalformedDataException("read past the end of the file");
        }
        if (available() == 0) {
            fill();
        }
        return buf.get((int) (position++ - bufStart)) & 0xFF;
    }

    @Override
    public void readFully(byte[] dest, int off, int n) {
        if (n > length - position) {
            throw new MalformedDataException("read of " + n + " bytes past the end of the file");
        }
        while (n > 0) {
            if (available() == 0) {
                fill();
            }
            int k = Math.min(n, available());
            buf.get((int) (position - bufStart), dest, off, k);
            position += k;
            off += k;
            n -= k;
        }
    }

    @Override
    public void skip(long n) {
        position += n;
    }

    @Override
    public long remaining() {
        return length - position;
    }
}
