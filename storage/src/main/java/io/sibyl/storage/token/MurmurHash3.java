package io.sibyl.storage.token;

/**
 * MurmurHash3_x64_128 exactly as Cassandra's {@code MurmurHash.hash3_x64_128}, including its quirk:
 * the tail bytes are sign-extended ({@code (long) key[i]} rather than {@code key[i] & 0xff}) before
 * being shifted in, so keys whose last partial block holds bytes >= 0x80 hash differently from the
 * reference MurmurHash3. Tokens must match Cassandra, so the quirk is kept on purpose.
 */
public final class MurmurHash3 {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private MurmurHash3() {
    }

    /** The 128-bit hash as two longs, h1 first. */
    public static long[] hash3x64_128(byte[] key, int offset, int length, long seed) {
        final int nblocks = length >> 4;
        long h1 = seed;
        long h2 = seed;

        for (int i = 0; i < nblocks; i++) {
            long k1 = getBlock(key, offset, i * 2);
            long k2 = getBlock(key, offset, i * 2 + 1);

            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;

            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }

        int tail = offset + nblocks * 16;
        long k1 = 0;
        long k2 = 0;
        int rest = length & 15;
        // Signed bytes on purpose (see the class comment); the fall-through mirrors the reference switch.
        if (rest >= 9) {
            for (int i = rest - 1; i >= 8; i--) {
                k2 ^= ((long) key[tail + i]) << ((i - 8) * 8);
            }
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
        }
        if (rest >= 1) {
            for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
                k1 ^= ((long) key[tail + i]) << (i * 8);
            }
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }

        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long getBlock(byte[] key, int offset, int index) {
        int i = offset + (index << 3);
        return (key[i] & 0xffL)
                | (key[i + 1] & 0xffL) << 8
                | (key[i + 2] & 0xffL) << 16
                | (key[i + 3] & 0xffL) << 24
                | (key[i + 4] & 0xffL) << 32
                | (key[i + 5] & 0xffL) << 40
                | (key[i + 6] & 0xffL) << 48
                | (key[i + 7] & 0xffL) << 56;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
