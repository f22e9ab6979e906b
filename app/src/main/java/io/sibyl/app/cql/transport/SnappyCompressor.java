package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Compressor;
import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * The protocol's optional {@code snappy} body compression (v4 and below), on {@link Buf}: a compressed
 * body is one raw Snappy block, which carries its own uncompressed length. Protocol v5 compresses
 * segments, and only with lz4: the ...WithoutLength forms are not used and refuse.
 */
final class SnappyCompressor implements Compressor<Buf> {

    static final SnappyCompressor INSTANCE = new SnappyCompressor();

    @Override
    public String algorithm() {
        return "snappy";
    }

    @Override
    public Buf compress(Buf uncompressed) {
        try {
            return Buf.wrap(Snappy.compress(uncompressed.readableArray()));
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Buf decompress(Buf compressed) {
        byte[] in = compressed.readableArray();
        try {
            if (!Snappy.isValidCompressedBuffer(in)) {
                throw new IllegalArgumentException("the body is not a valid snappy block");
            }
            return Buf.wrap(Snappy.uncompress(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt snappy body: " + e.getMessage(), e);
        }
    }

    @Override
    public Buf compressWithoutLength(Buf uncompressed) {
        throw new UnsupportedOperationException("snappy is not a protocol v5 segment compression");
    }

    @Override
    public Buf decompressWithoutLength(Buf compressed, int uncompressedLength) {
        throw new UnsupportedOperationException("snappy is not a protocol v5 segment compression");
    }
}
