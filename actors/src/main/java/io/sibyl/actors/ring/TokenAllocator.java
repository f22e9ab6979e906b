package io.sibyl.actors.ring;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks a node's {@code num_tokens} tokens once, at its first start: at random, or for a node joining a
 * ring, with {@link #forJoiningNode} so that replicated ownership evens out. Random vnodes give a balance
 * that improves with the token count (the balance report in the tests shows how much; docs/ring.md has
 * the figures for both). Tokens never collide with tokens already on the ring: a collision would make two
 * nodes claim the same range end.
 */
public final class TokenAllocator {

    public static final int DEFAULT_NUM_TOKENS = 16;

    private final RandomGenerator random;

    TokenAllocator(RandomGenerator random) {
        this.random = random;
    }

    /** For production: tokens from a SecureRandom, so two nodes started together never correlate. */
    public static TokenAllocator secure() {
        return new TokenAllocator(new SecureRandom());
    }

    /** Deterministic, for tests and simulations. */
    public static TokenAllocator seeded(long seed) {
        return new TokenAllocator(new SplittableRandom(seed));
    }

    /**
     * Tokens for {@code node} joining {@code ring} (Cassandra's {@code allocate_tokens_for_local_replication_factor}):
     * while {@code node}'s data center has fewer than {@code rf} other nodes, {@code numTokens} random tokens
     * from {@code random}; after that, tokens chosen one at a time, each splitting the range that most lowers
     * the largest replicated ownership in that data center at replication factor {@code rf} (see
     * {@link ReplicationAwareTokenAllocation}). The result is sorted, distinct, none already on the ring,
     * and the same for the same ring, node, arguments and random seed. If {@code node} is on {@code ring}
     * already, its current tokens are ignored (it is placed as if it were joining anew).
     */
    public static List<Long> forJoiningNode(TokenRing ring, NodeInfo node, int numTokens, int rf,
                                            RandomGenerator random) {
        if (numTokens < 1) {
            throw new IllegalArgumentException("num_tokens must be at least 1, was " + numTokens);
        }
        if (rf < 1) {
            throw new IllegalArgumentException("the local replication factor must be at least 1, was " + rf);
        }
        TokenRing others = ring.withoutNode(node.id());
        if (others.nodeCountIn(node.dc()) < rf) {
            return new TokenAllocator(random).allocate(ring.tokenSet(), numTokens);
        }
        return ReplicationAwareTokenAllocation.allocate(others, node, numTokens, rf);
    }

    /** {@code numTokens} distinct tokens, sorted, none already on {@code ring}. */
    public List<Long> allocate(TokenRing ring, int numTokens) {
        return allocate(ring.tokenSet(), numTokens);
    }

    /** {@code numTokens} distinct tokens, sorted, none in {@code taken}. */
    public synchronized List<Long> allocate(Collection<Long> taken, int numTokens) {
        if (numTokens < 1) {
            throw new IllegalArgumentException("num_tokens must be at least 1, was " + numTokens);
        }
        Set<Long> used = new HashSet<>(taken);
        List<Long> out = new ArrayList<>(numTokens);
        while (out.size() < numTokens) {
            long t = random.nextLong();
            // Long.MIN_VALUE is the partitioner's minimum token; no key ever hashes to it
            // (Murmur3 normalizes it to MAX_VALUE), so a node owning it would own an empty range end.
            if (t != Long.MIN_VALUE && used.add(t)) {
                out.add(t);
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }
}
