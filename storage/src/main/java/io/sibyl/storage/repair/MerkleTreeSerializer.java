package io.sibyl.storage.repair;

import io.sibyl.storage.serialization.MalformedDataException;
import java.nio.ByteBuffer;

/**
 * The wire form of a {@link MerkleTree}, for replicas sending trees to a repair coordinator: only the
 * leaves travel (the receiver recomputes the inner nodes the same way).
 *
 * <pre>
 * range start long (8) | range end long (8) | depth byte (1) | leaf hash (16) * 2^depth
 * </pre>
 * Big-endian. A depth-20 tree is 16 MiB: send deep trees over a stream, not as one message.
 */
public final class MerkleTreeSerializer {

    private MerkleTreeSerializer() {
    }

    public static byte[] serialize(MerkleTree tree) {
        ByteBuffer out = ByteBuffer.allocate(17 + tree.leafCount() * MerkleTree.HASH_BYTES);
        out.putLong(tree.range().start()).putLong(tree.range().end()).put((byte) tree.depth());
        for (int i = 0; i < tree.leafCount(); i++) {
            out.put(tree.leafHash(i));
        }
        return out.array();
    }

    public static MerkleTree deserialize(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 17) {
            throw new MalformedDataException("Merkle tree of " + bytes.length + " bytes");
        }
        TokenSubrange range = new TokenSubrange(in.getLong(), in.getLong());
        int depth = in.get();
        if (depth < 0 || depth > MerkleTree.MAX_DEPTH
                || in.remaining() != (1 << depth) * MerkleTree.HASH_BYTES) {
            throw new MalformedDataException("Merkle tree of depth " + depth + " with " + in.remaining() + " bytes of leaves");
        }
        byte[][] leaves = new byte[1 << depth][MerkleTree.HASH_BYTES];
        for (byte[] leaf : leaves) {
            in.get(leaf);
        }
        try {
            return new MerkleTree(range, depth, leaves);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid Merkle tree: " + e.getMessage(), e);
        }
    }
}
