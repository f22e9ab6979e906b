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
 * Picks a node's {@code num_tokens} random tokens once, at its first start. Random vnodes give
 * a balance that improves with the token count (the balance report in the tests shows how much).
 * Tokens never collide with tokens already on the ring: a collision would make two nodes claim
 * the same range end.
 */
public final class TokenAllocator {

    public static final int DEFAULT_NUM_TOKENS = 16;

    private final RandomGenerator random;

    private TokenAllocator(RandomGenerator random) {
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
