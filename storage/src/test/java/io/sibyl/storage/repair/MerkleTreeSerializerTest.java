package io.sibyl.storage.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sibyl.storage.serialization.MalformedDataException;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MerkleTreeSerializerTest {

    @Property(tries = 50)
    void roundTrips(@ForAll @IntRange(min = 0, max = 10) int depth, @ForAll long seed) {
        Random random = new Random(seed);
        byte[][] leaves = new byte[1 << depth][MerkleTree.HASH_BYTES];
        for (byte[] leaf : leaves) {
            if (random.nextBoolean()) {
                random.nextBytes(leaf);
            }
        }
        MerkleTree tree = new MerkleTree(new TokenSubrange(random.nextLong(), random.nextLong()), depth, leaves);
        byte[] bytes = MerkleTreeSerializer.serialize(tree);
        MerkleTree back = MerkleTreeSerializer.deserialize(bytes);
        assertEquals(tree.range(), back.range());
        assertEquals(tree.depth(), back.depth());
        assertArrayEquals(tree.root(), back.root());
        assertEquals(java.util.List.of(), tree.difference(back));
        assertThrows(MalformedDataException.class,
                () -> MerkleTreeSerializer.deserialize(Arrays.copyOf(bytes, bytes.length - 1)));
    }
}
