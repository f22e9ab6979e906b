package io.sibyl.app.cql.transport;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A byte array with separate reader and writer indexes: the buffer type the native-protocol
 * library's codecs read from and write to (it is generic in its buffer; the driver uses Netty's
 * ByteBuf, which is not on Sibyl's class path). Grows on write; not thread-safe (one frame each).
 */
final class Buf {
    private byte[] bytes;
    private int readerIndex;
    private int writerIndex;
    private int markedReaderIndex;

    private Buf(byte[] bytes, int readerIndex, int writerIndex) {
        this.bytes = bytes;
        this.readerIndex = readerIndex;
        this.writerIndex = writerIndex;
    }

    static Buf allocate(int capacity) {
        return new Buf(new byte[Math.max(capacity, 16)], 0, 0);
    }

    /** Reads {@code bytes} (not copied: the caller hands them over). */
    static Buf wrap(byte[] bytes) {
        return new Buf(bytes, 0, bytes.length);
    }

    int readableBytes() {
        return writerIndex - readerIndex;
    }

    void markReaderIndex() {
        markedReaderIndex = readerIndex;
    }

    void resetReaderIndex() {
        readerIndex = markedReaderIndex;
    }

    byte readByte() {
        require(1);
        return bytes[readerIndex++];
    }

    int readInt() {
        int v = getInt(readerIndex);
        readerIndex += 4;
        return v;
    }

    /** The int {@code offset} bytes after the reader index, without moving it. */
    int getInt(int index) {
        if (index < readerIndex || index + 4 > writerIndex) {
            throw new IndexOutOfBoundsException("int at " + index + " past the end of the frame (" + writerIndex + ")");
        }
        return ((bytes[index] & 0xFF) << 24) | ((bytes[index + 1] & 0xFF) << 16)
                | ((bytes[index + 2] & 0xFF) << 8) | (bytes[index + 3] & 0xFF);
    }

    int readerIndex() {
        return readerIndex;
    }

    long readLong() {
        long hi = readInt() & 0xFFFFFFFFL;
        long lo = readInt() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    int readUnsignedShort() {
        require(2);
        int v = ((bytes[readerIndex] & 0xFF) << 8) | (bytes[readerIndex + 1] & 0xFF);
        readerIndex += 2;
        return v;
    }

    byte[] readBytes(int length) {
        require(length);
        byte[] out = Arrays.copyOfRange(bytes, readerIndex, readerIndex + length);
        readerIndex += length;
        return out;
    }

    void writeByte(int b) {
        ensure(1);
        bytes[writerIndex++] = (byte) b;
    }

    void writeShort(int v) {
        ensure(2);
        bytes[writerIndex++] = (byte) (v >>> 8);
        bytes[writerIndex++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        bytes[writerIndex++] = (byte) (v >>> 24);
        bytes[writerIndex++] = (byte) (v >>> 16);
        bytes[writerIndex++] = (byte) (v >>> 8);
        bytes[writerIndex++] = (byte) v;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void writeBytes(byte[] src) {
        writeBytes(src, 0, src.length);
    }

    void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, writerIndex, length);
        writerIndex += length;
    }

    void writeBytes(ByteBuffer src) {
        ByteBuffer s = src.duplicate();
        int n = s.remaining();
        ensure(n);
        s.get(bytes, writerIndex, n);
        writerIndex += n;
    }

    /** The readable bytes, without moving the reader index. */
    byte[] readableArray() {
        return Arrays.copyOfRange(bytes, readerIndex, writerIndex);
    }

    /** The backing array and the readable range, for a zero-copy hand-off to the network. */
    byte[] array() {
        return bytes;
    }

    int writerIndex() {
        return writerIndex;
    }

    private void require(int n) {
        if (n < 0 || readerIndex + n > writerIndex) {
            throw new IndexOutOfBoundsException("need " + n + " bytes at " + readerIndex + " but the frame ends at "
                    + writerIndex);
        }
    }

    private void ensure(int n) {
        if (writerIndex + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, writerIndex + n));
        }
    }
}
