package io.sibyl.storage.serialization;

/** {@link DataInputPlus} over a byte array slice. */
public final class DataInputBuffer extends DataInputPlus {

    private final byte[] buf;
    private int pos;
    private final int limit;

    public DataInputBuffer(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public DataInputBuffer(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
    }

    @Override
    public int readUnsignedByte() {
        if (pos >= limit) {
            throw new MalformedDataException("unexpected end of data");
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public void readFully(byte[] dest, int off, int n) {
        if (n > limit - pos) {
            throw new MalformedDataException("unexpected end of data: need " + n + " bytes, have " + (limit - pos));
        }
        System.arraycopy(buf, pos, dest, off, n);
        pos += n;
    }

    @Override
    public void skip(long n) {
        if (n > limit - pos) {
            throw new MalformedDataException("cannot skip " + n + " bytes, have " + (limit - pos));
        }
        pos += (int) n;
    }

    @Override
    public long remaining() {
        return limit - pos;
    }

    public int position() {
        return pos;
    }

    // Fast paths straight from the array (the inherited ones go byte by byte through readUnsignedByte):
    // the SSTable index scan decodes tokens and varints of up to a hundred entries per point read.

    @Override
    public int readInt() {
        if (limit - pos < 4) {
            throw new MalformedDataException("unexpected end of data");
        }
        int p = pos;
        pos = p + 4;
        return ((buf[p] & 0xFF) << 24) | ((buf[p + 1] & 0xFF) << 16) | ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
    }

    @Override
    public long readLong() {
        if (limit - pos < 8) {
            throw new MalformedDataException("unexpected end of data");
        }
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    @Override
    public long readUnsignedVInt() {
        int p = pos;
        if (p < limit && buf[p] >= 0) {
            pos = p + 1;
            return buf[p];
        }
        return super.readUnsignedVInt();
    }
}
