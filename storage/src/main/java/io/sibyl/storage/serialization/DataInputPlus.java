package io.sibyl.storage.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads what {@link DataOutputBuffer} writes, from any byte source (an array, or an SSTable's
 * decompressed chunks). Every read checks its bounds and throws {@link MalformedDataException}
 * rather than returning garbage.
 */
public abstract class DataInputPlus {

    /** The next byte, or a MalformedDataException at the end of the data. */
    public abstract int readUnsignedByte();

    public abstract void readFully(byte[] dest, int off, int n);

    public abstract void skip(long n);

    /** Bytes left, or Long.MAX_VALUE when unknown. */
    public abstract long remaining();

    public byte readByte() {
        return (byte) readUnsignedByte();
    }

    public int readInt() {
        return (readUnsignedByte() << 24) | (readUnsignedByte() << 16) | (readUnsignedByte() << 8) | readUnsignedByte();
    }

    public long readLong() {
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    public long readUnsignedVInt() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new MalformedDataException("varint longer than 10 bytes");
    }

    public int readUnsignedVInt32() {
        long v = readUnsignedVInt();
        if ((v >>> 32) != 0) {
            throw new MalformedDataException("32-bit varint out of range: " + v);
        }
        return (int) v;
    }

    /** A non-negative int that must fit the remaining data (lengths and counts). */
    public int readLength() {
        long v = readUnsignedVInt();
        if (v > Integer.MAX_VALUE || v > remaining()) {
            throw new MalformedDataException("length " + v + " exceeds the " + remaining() + " bytes left");
        }
        return (int) v;
    }

    public long readVInt() {
        long z = readUnsignedVInt();
        return (z >>> 1) ^ -(z & 1);
    }

    public byte[] readBytes() {
        byte[] b = new byte[readLength()];
        readFully(b, 0, b.length);
        return b;
    }

    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    public UUID readUuid() {
        return new UUID(readLong(), readLong());
    }
}
