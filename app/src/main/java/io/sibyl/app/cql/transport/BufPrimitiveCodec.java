package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.PrimitiveCodec;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The protocol's primitive notations ([int], [short], [string], [long string], [bytes],
 * [short bytes], [inetaddr]) on {@link Buf}: the only part of the codec the native-protocol library
 * leaves to its user, since it does not fix a buffer type. Frames and messages are the library's.
 */
final class BufPrimitiveCodec implements PrimitiveCodec<Buf> {

    static final BufPrimitiveCodec INSTANCE = new BufPrimitiveCodec();

    @Override
    public Buf allocate(int size) {
        return Buf.allocate(size);
    }

    @Override
    public void release(Buf toRelease) {
        // heap arrays: nothing to release
    }

    @Override
    public int sizeOf(Buf toMeasure) {
        return toMeasure.readableBytes();
    }

    @Override
    public Buf concat(Buf left, Buf right) {
        Buf out = Buf.allocate(left.readableBytes() + right.readableBytes());
        out.writeBytes(left.readableArray());
        out.writeBytes(right.readableArray());
        return out;
    }

    @Override
    public void markReaderIndex(Buf source) {
        source.markReaderIndex();
    }

    @Override
    public void resetReaderIndex(Buf source) {
        source.resetReaderIndex();
    }

    @Override
    public byte readByte(Buf source) {
        return source.readByte();
    }

    @Override
    public int readInt(Buf source) {
        return source.readInt();
    }

    @Override
    public int readInt(Buf source, int offset) {
        return source.getInt(source.readerIndex() + offset);
    }

    @Override
    public InetAddress readInetAddr(Buf source) {
        int length = source.readByte() & 0xFF;
        try {
            return InetAddress.getByAddress(source.readBytes(length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid [inetaddr] of " + length + " bytes", e);
        }
    }

    @Override
    public long readLong(Buf source) {
        return source.readLong();
    }

    @Override
    public int readUnsignedShort(Buf source) {
        return source.readUnsignedShort();
    }

    @Override
    public ByteBuffer readBytes(Buf source) {
        int length = source.readInt();
        if (length == -2) {
            return ProtocolConstants.UNSET_VALUE; // v4 "not set": compared by identity
        }
        return length < 0 ? null : ByteBuffer.wrap(source.readBytes(length));
    }

    @Override
    public byte[] readShortBytes(Buf source) {
        return source.readBytes(source.readUnsignedShort());
    }

    @Override
    public String readString(Buf source) {
        return new String(source.readBytes(source.readUnsignedShort()), StandardCharsets.UTF_8);
    }

    @Override
    public String readLongString(Buf source) {
        int length = source.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("negative [long string] length " + length);
        }
        return new String(source.readBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public Buf readRetainedSlice(Buf source, int sliceLength) {
        return Buf.wrap(source.readBytes(sliceLength));
    }

    @Override
    public void updateCrc(Buf source, CRC32 crc) {
        crc.update(source.array(), source.readerIndex(), source.readableBytes()); // in place, no copy
    }

    @Override
    public void writeByte(byte b, Buf dest) {
        dest.writeByte(b);
    }

    @Override
    public void writeInt(int i, Buf dest) {
        dest.writeInt(i);
    }

    @Override
    public void writeInetAddr(InetAddress address, Buf dest) {
        byte[] bytes = address.getAddress();
        dest.writeByte(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeLong(long l, Buf dest) {
        dest.writeLong(l);
    }

    @Override
    public void writeUnsignedShort(int i, Buf dest) {
        dest.writeShort(i);
    }

    @Override
    public void writeString(String s, Buf dest) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        dest.writeShort(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeLongString(String s, Buf dest) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        dest.writeInt(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes, Buf dest) {
        if (bytes == ProtocolConstants.UNSET_VALUE) {
            dest.writeInt(-2);
        } else if (bytes == null) {
            dest.writeInt(-1);
        } else {
            dest.writeInt(bytes.remaining());
            dest.writeBytes(bytes);
        }
    }

    @Override
    public void writeBytes(byte[] bytes, Buf dest) {
        if (bytes == null) {
            dest.writeInt(-1);
        } else {
            dest.writeInt(bytes.length);
            dest.writeBytes(bytes);
        }
    }

    @Override
    public void writeShortBytes(byte[] bytes, Buf dest) {
        dest.writeShort(bytes.length);
        dest.writeBytes(bytes);
    }
}
