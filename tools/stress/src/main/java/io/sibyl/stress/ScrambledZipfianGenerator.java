package io.sibyl.stress;

import java.util.SplittableRandom;

/**
 * YCSB's ScrambledZipfianGenerator: Zipfian popularity, but the popular items are scattered over the
 * key space by an FNV-1a hash instead of being the lowest numbers (YCSB workload A's request distribution).
 */
public final class ScrambledZipfianGenerator {

    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private final ZipfianGenerator zipfian;
    private final long items;

    public ScrambledZipfianGenerator(long items) {
        this.zipfian = new ZipfianGenerator(items);
        this.items = items;
    }

    /** The next item in [0, items). */
    public long next(SplittableRandom random) {
        return scramble(zipfian.next(random), items);
    }

    /** Where the item of the given popularity rank lands. */
    static long scramble(long rank, long items) {
        return fnvHash64(rank) % items;
    }

    public ZipfianGenerator zipfian() {
        return zipfian;
    }

    /** YCSB's Utils.fnvhash64 (FNV-1a over the 8 little-endian bytes), made non-negative. */
    static long fnvHash64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        long v = value;
        for (int i = 0; i < 8; i++) {
            long octet = v & 0xff;
            v >>= 8;
            hash ^= octet;
            hash *= FNV_PRIME_64;
        }
        return hash == Long.MIN_VALUE ? 0 : Math.abs(hash);
    }
}
