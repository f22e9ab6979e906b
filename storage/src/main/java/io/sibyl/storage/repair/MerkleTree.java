package io.sibyl.storage.repair;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A hash tree over a token range: {@code 2^depth} leaves, each covering an equal share of the range
 * and holding the hash of the partitions whose tokens fall in it; each inner node hashes its two
 * children. Two replicas that built trees of the same range and depth compare roots, and on a
 * mismatch {@link #difference} names the leaf ranges to stream. Immutable.
 *
 * <p>Deterministic across nodes: leaf boundaries depend only on the range and depth, a leaf hashes
 * its partitions' digests in ring order, an empty leaf is all zeros, and a node with two all-zero
 * children is all zeros too (so empty stretches of the ring compare equal cheaply).
 */
public final class MerkleTree {

    public static final int HASH_BYTES = 16;
    public static final int MAX_DEPTH = 20;
    private static final byte[] EMPTY = new byte[HASH_BYTES];
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(64);

    private final TokenSubrange range;
    private final int depth;
    /** Heap layout: node 1 is the root, node i has children 2i and 2i+1; leaves are n..2n-1. */
    private final byte[][] nodes;

    MerkleTree(TokenSubrange range, int depth, byte[][] leafHashes) {
        checkDepth(depth);
        int n = 1 << depth;
        if (leafHashes.length != n) {
            throw new IllegalArgumentException(leafHashes.length + " leaf hashes for depth " + depth);
        }
        checkWidth(range, depth);
        this.range = Objects.requireNonNull(range, "range");
        this.depth = depth;
        this.nodes = new byte[2 * n][];
        for (int i = 0; i < n; i++) {
            if (leafHashes[i].length != HASH_BYTES) {
                throw new IllegalArgumentException("leaf hash of " + leafHashes[i].length + " bytes");
            }
            nodes[n + i] = leafHashes[i].clone();
        }
        for (int i = n - 1; i >= 1; i--) {
            nodes[i] = combine(nodes[2 * i], nodes[2 * i + 1]);
        }
    }

    static void checkDepth(int depth) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Merkle tree depth must be 0.." + MAX_DEPTH + ", was " + depth);
        }
    }

    /** Every leaf must hold at least one token: a leaf (a, a] would read as the whole ring. */
    static void checkWidth(TokenSubrange range, int depth) {
        if (!range.isWholeRing() && Long.compareUnsigned(range.width(), 1L << depth) < 0) {
            throw new IllegalArgumentException("range " + range + " is narrower than the " + (1 << depth)
                    + " leaves of a depth-" + depth + " tree");
        }
    }

    public TokenSubrange range() {
        return range;
    }

    public int depth() {
        return depth;
    }

    public int leafCount() {
        return 1 << depth;
    }

    public byte[] root() {
        return nodes[1].clone();
    }

    public byte[] leafHash(int leaf) {
        return nodes[leafCount() + leaf].clone();
    }

    /** The token range leaf {@code leaf} covers. */
    public TokenSubrange leafRange(int leaf) {
        return leafRange(range, depth, leaf);
    }

    static TokenSubrange leafRange(TokenSubrange range, int depth, int leaf) {
        return new TokenSubrange(boundary(range, depth, leaf), boundary(range, depth, leaf + 1));
    }

    /** The token after which leaf {@code i} starts: start + floor(i * width / 2^depth), modulo 2^64. */
    static long boundary(TokenSubrange range, int depth, int i) {
        BigInteger width = range.isWholeRing() ? RING : new BigInteger(Long.toUnsignedString(range.width()));
        long offset = width.multiply(BigInteger.valueOf(i)).shiftRight(depth).longValue();
        return range.start() + offset;
    }

    /** The leaf holding {@code token}, which must be in the range. */
    public int leafOf(long token) {
        return leafOf(range, depth, token);
    }

    static int leafOf(TokenSubrange range, int depth, long token) {
        if (!range.contains(token)) {
            throw new IllegalArgumentException("token " + token + " is not in " + range);
        }
        // Leaf i holds offsets (b_i, b_{i+1}] where b_i = boundary offset; find the first b_{i+1} >= offset.
        long offset = token - range.start();
        int lo = 0;
        int hi = (1 << depth) - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long upper = boundary(range, depth, mid + 1) - range.start();
            if (Long.compareUnsigned(offset, upper) <= 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The token ranges where this tree and {@code other} differ: the differing leaves, adjacent ones
     * merged into one range, in ring order from the start of the range. Empty when the roots match.
     */
    public List<TokenSubrange> difference(MerkleTree other) {
        if (!range.equals(other.range) || depth != other.depth) {
            throw new IllegalArgumentException("trees of " + range + " depth " + depth + " and "
                    + other.range + " depth " + other.depth + " cannot be compared");
        }
        List<Integer> leaves = new ArrayList<>();
        collectDifferingLeaves(other, 1, leaves);
        List<TokenSubrange> out = new ArrayList<>();
        int runStart = -1;
        int previous = -2;
        for (int leaf : leaves) {
            if (leaf != previous + 1) {
                if (runStart >= 0) {
                    out.add(new TokenSubrange(leafRange(runStart).start(), leafRange(previous).end()));
                }
                runStart = leaf;
            }
            previous = leaf;
        }
        if (runStart >= 0) {
            out.add(new TokenSubrange(leafRange(runStart).start(), leafRange(previous).end()));
        }
        return out;
    }

    private void collectDifferingLeaves(MerkleTree other, int node, List<Integer> out) {
        if (Arrays.equals(nodes[node], other.nodes[node])) {
            return;
        }
        int n = leafCount();
        if (node >= n) {
            out.add(node - n);
            return;
        }
        collectDifferingLeaves(other, 2 * node, out);
        collectDifferingLeaves(other, 2 * node + 1, out);
    }

    static byte[] combine(byte[] left, byte[] right) {
        if (Arrays.equals(left, EMPTY) && Arrays.equals(right, EMPTY)) {
            return EMPTY;
        }
        MessageDigest md = md5();
        md.update(left);
        md.update(right);
        return md.digest();
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    static byte[] emptyHash() {
        return EMPTY.clone();
    }
}
