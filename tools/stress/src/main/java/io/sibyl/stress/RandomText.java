package io.sibyl.stress;

import java.util.SplittableRandom;

/**
 * A pool of random alphanumeric characters generated once; a "random" field value is a window of it
 * at a random offset. Per-request random generation of ~1 KB per row would dominate client CPU, and
 * the server cannot tell the difference (values still differ between rows and do not compress away
 * at the row level).
 */
public final class RandomText {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final char[] pool;

    public RandomText(int poolSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        pool = new char[poolSize];
        for (int i = 0; i < poolSize; i++) {
            pool[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
    }

    /**
     * Appends {@code length} random characters as a JSON string; the alphabet needs no escaping,
     * so the window is copied in one call.
     */
    public void appendJsonString(StringBuilder sb, int length, SplittableRandom random) {
        if (length > pool.length) {
            throw new IllegalArgumentException("field length " + length + " exceeds pool " + pool.length);
        }
        int offset = random.nextInt(pool.length - length + 1);
        sb.append('"').append(pool, offset, length).append('"');
    }

    public String randomString(int length, SplittableRandom random) {
        int offset = random.nextInt(pool.length - length + 1);
        return new String(pool, offset, length);
    }
}
