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
}
