package io.sibyl.storage.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static MerkleTree emptyTree(TokenSubrange range, int depth) {
        return MerkleTreeBuilder.build(range, depth, keys -> List.of());
    }

    @Property(tries = 200)
    void leavesTileTheRangeAndFindTheirTokens(@ForAll long start, @ForAll long end, @ForAll long probe,
                                              @ForAll @IntRange(min = 0, max = 12) int depth) {
        TokenSubrange range = new TokenSubrange(start, end);
        if (!range.isWholeRing() && Long.compareUnsigned(range.width(), 1L << depth) < 0) {
            assertThrows(IllegalArgumentException.class, () -> emptyTree(range, depth));
            return;
        }
        MerkleTree tree = emptyTree(range, depth);
        assertEquals(start, tree.leafRange(0).start());
        assertEquals(end, tree.leafRange(tree.leafCount() - 1).end());
        for (int i = 0; i + 1 < tree.leafCount(); i++) {
            assertEquals(tree.leafRange(i).end(), tree.leafRange(i + 1).start());
        }
        long token = probe == Long.MIN_VALUE ? 0 : probe; // MIN is never a Murmur3 token
        if (range.contains(token)) {
            int leaf = tree.leafOf(token);
            assertTrue(tree.leafRange(leaf).contains(token), token + " not in leaf " + leaf + " " + tree.leafRange(leaf));
        }
    }

    @Test
    void emptyTreesAgreeAndHaveAZeroRoot() {
        MerkleTree a = emptyTree(new TokenSubrange(Long.MIN_VALUE, Long.MIN_VALUE), 8);
        MerkleTree b = emptyTree(new TokenSubrange(Long.MIN_VALUE, Long.MIN_VALUE), 8);
        assertArrayEquals(new byte[MerkleTree.HASH_BYTES], a.root());
        assertEquals(List.of(), a.difference(b));
    }

    @Test
    void adjacentDifferingLeavesMergeIntoOneRange() {
        TokenSubrange range = new TokenSubrange(0, 1600);
        byte[][] left = new byte[16][];
        byte[][] right = new byte[16][];
        for (int i = 0; i < 16; i++) {
            left[i] = new byte[MerkleTree.HASH_BYTES];
            right[i] = new byte[MerkleTree.HASH_BYTES];
        }
        right[3][0] = 1;
        right[4][0] = 1;
        right[9][5] = 7;
        MerkleTree a = new MerkleTree(range, 4, left);
        MerkleTree b = new MerkleTree(range, 4, right);
        assertEquals(List.of(new TokenSubrange(300, 500), new TokenSubrange(900, 1000)), a.difference(b));
        assertEquals(a.difference(b), b.difference(a));
    }

    @Test
    void treesOfDifferentShapesAreNotCompared() {
        TokenSubrange range = new TokenSubrange(0, 1 << 20);
        assertThrows(IllegalArgumentException.class, () -> emptyTree(range, 3).difference(emptyTree(range, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> emptyTree(range, 3).difference(emptyTree(new TokenSubrange(1, 1 << 20), 3)));
    }

    @Test
    void aWrappingRangeContainsBothEnds() {
        TokenSubrange wrap = new TokenSubrange(Long.MAX_VALUE - 10, Long.MIN_VALUE + 10);
        assertTrue(wrap.contains(Long.MAX_VALUE));
        assertTrue(wrap.contains(Long.MIN_VALUE + 5));
        assertTrue(!wrap.contains(0));
        assertTrue(!wrap.contains(Long.MAX_VALUE - 10));
        assertEquals(2, wrap.keyRanges().size());
    }
}
