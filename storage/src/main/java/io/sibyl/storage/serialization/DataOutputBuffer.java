package io.sibyl.storage.serialization;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growable byte array with the primitive encodings every Sibyl format uses: big-endian fixed-width
 * integers, unsigned LEB128 varints, zigzag signed varints, and length-prefixed byte strings.
 * Not thread-safe; reuse one per writer with {@link #reset()}.
 */
public final class DataOutputBuffer {

    private byte[] buf;
    private int len;

    public DataOutputBuffer() {
        this(256);
    }

    public DataOutputBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public DataOutputBuffer writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public DataOutputBuffer writeInt(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public DataOutputBuffer writeLong(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    /** Unsigned LEB128: 7 bits per byte, high bit set on every byte but the last. */
    public DataOutputBuffer writeUnsignedVInt(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** An int read back as unsigned (so Integer.MAX_VALUE deletion times stay 5 bytes, not 10). */
    public DataOutputBuffer writeUnsignedVInt32(int v) {
        return writeUnsignedVInt(v & 0xFFFFFFFFL);
    }

    /** Zigzag then LEB128, so small negative numbers stay short. */
    public DataOutputBuffer writeVInt(long v) {
        return writeUnsignedVInt((v << 1) ^ (v >> 63));
    }

    public DataOutputBuffer write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public DataOutputBuffer write(byte[] b) {
        return write(b, 0, b.length);
    }

    /** Length (unsigned varint) then the bytes. */
    public DataOutputBuffer writeBytes(byte[] b) {
        writeUnsignedVInt(b.length);
        return write(b);
    }

    public DataOutputBuffer writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public DataOutputBuffer writeUuid(UUID id) {
        writeLong(id.getMostSignificantBits());
        return writeLong(id.getLeastSignificantBits());
    }

    public int length() {
        return len;
    }

    /** The backing array; valid up to {@link #length()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public void reset() {
        len = 0;
    }
}
