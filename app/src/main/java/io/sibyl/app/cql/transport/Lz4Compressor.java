package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Compressor;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * The protocol's {@code lz4} body compression on {@link Buf}: in v4 a compressed body is the
 * uncompressed length as a big-endian [int], then one LZ4 block. (The library defines the
 * {@link Compressor} contract; the buffer-specific part is the user's, as for {@link BufPrimitiveCodec}.)
 */
final class Lz4Compressor implements Compressor<Buf> {

    static final Lz4Compressor INSTANCE = new Lz4Compressor();

    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final LZ4FastDecompressor decompressor = LZ4Factory.fastestInstance().fastDecompressor();

    @Override
    public String algorithm() {
        return "lz4";
    }

    @Override
    public Buf compress(Buf uncompressed) {
        byte[] in = uncompressed.readableArray();
        Buf out = Buf.allocate(4 + compressor.maxCompressedLength(in.length));
        out.writeInt(in.length);
        byte[] block = compressor.compress(in);
        out.writeBytes(block);
        return out;
    }

    @Override
    public Buf decompress(Buf compressed) {
        int length = compressed.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("negative uncompressed length " + length + " in an lz4 body");
        }
        return decompressWithoutLength(compressed, length);
    }

    @Override
    public Buf compressWithoutLength(Buf uncompressed) {
        return Buf.wrap(compressor.compress(uncompressed.readableArray()));
    }

    @Override
    public Buf decompressWithoutLength(Buf compressed, int uncompressedLength) {
        byte[] in = compressed.readableArray();
        byte[] out = new byte[uncompressedLength];
        decompressor.decompress(in, 0, out, 0, uncompressedLength);
        return Buf.wrap(out);
    }
}
