package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfianGeneratorTest {

    private static final int ITEMS = 1000;
    private static final int SAMPLES = 300_000;

    private static long[] histogram(ZipfianGenerator g, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] counts = new long[(int) g.items()];
        for (int i = 0; i < SAMPLES; i++) {
            long v = g.next(random);
            assertTrue(v >= 0 && v < g.items(), "in range: " + v);
            counts[(int) v]++;
        }
        return counts;
    }

    @Test
    void mostPopularItemsGetTheirTheoreticalShare() {
        ZipfianGenerator g = new ZipfianGenerator(ITEMS);
        long[] counts = histogram(g, 1);
        // Theory: P(rank r) = (r+1)^-0.99 / zeta(1000, 0.99); with 1000 items item 0 gets about 13%.
        double p0 = g.probability(0);
        double p1 = g.probability(1);
        assertTrue(p0 > 0.12 && p0 < 0.14, "p0 = " + p0);
        assertEquals(p0, counts[0] / (double) SAMPLES, p0 * 0.03);
        assertEquals(p1, counts[1] / (double) SAMPLES, p1 * 0.04);
    }

    @Test
    void skewFollowsZipfOverTheHead() {
        ZipfianGenerator g = new ZipfianGenerator(ITEMS);
        long[] counts = histogram(g, 2);
        for (int r = 0; r < 5; r++) {
            assertTrue(counts[r] > counts[r + 1], "rank " + r + " more popular than " + (r + 1));
        }
        double head = 0;
        double expectedHead = 0;
        for (int r = 0; r < ITEMS / 10; r++) {
            head += counts[r];
            expectedHead += g.probability(r);
        }
        // YCSB's generator is exact for ranks 0 and 1 and an approximation beyond; the top 10% share stays close.
        assertEquals(expectedHead, head / SAMPLES, expectedHead * 0.05);
        assertTrue(counts[ITEMS - 1] < counts[0] / 100, "the tail is rare");
    }

    @Test
    void zetaTailEstimateMatchesExactSum() {
        long n = 3_000_000;
        double exact = 0;
        for (long i = 1; i <= n; i++) {
            exact += Math.pow(i, -0.99);
        }
        assertEquals(exact, ZipfianGenerator.zeta(n, 0.99), exact * 1e-9);
    }

    @Test
    void singleItemAlwaysZero() {
        ZipfianGenerator g = new ZipfianGenerator(1);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, g.next(random));
        }
    }

    @Test
    void scrambledSpreadsTheHotKeyButKeepsItsShare() {
        ScrambledZipfianGenerator g = new ScrambledZipfianGenerator(ITEMS);
        SplittableRandom random = new SplittableRandom(4);
        long[] counts = new long[ITEMS];
        for (int i = 0; i < SAMPLES; i++) {
            counts[(int) g.next(random)]++;
        }
        int hottest = 0;
        for (int i = 1; i < ITEMS; i++) {
            if (counts[i] > counts[hottest]) {
                hottest = i;
            }
        }
        long expectedHot = ScrambledZipfianGenerator.scramble(0, ITEMS);
        assertEquals(expectedHot, hottest, "rank 0 lands where the hash puts it");
        assertTrue(expectedHot != 0, "the hash moved it away from key 0");
        // Its share: rank 0's probability plus that of any rank the hash folds onto the same key.
        double expectedShare = 0;
        for (long r = 0; r < ITEMS; r++) {
            if (ScrambledZipfianGenerator.scramble(r, ITEMS) == expectedHot) {
                expectedShare += g.zipfian().probability(r);
            }
        }
        assertEquals(expectedShare, counts[hottest] / (double) SAMPLES, expectedShare * 0.03);
    }

    /** Plain FNV-1a 64 over bytes, as published (test vector: one zero byte hashes to 0xaf63bd4c8601b7df). */
    private static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Test
    void fnvHashIsFnv1aOverLittleEndianBytesLikeYcsb() {
        assertEquals(0xaf63bd4c8601b7dfL, fnv1a(new byte[1]));
        for (long v : new long[] {0, 1, 255, 256, 12345, 999_999, Long.MAX_VALUE}) {
            byte[] le = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
            assertEquals(Math.abs(fnv1a(le)), ScrambledZipfianGenerator.fnvHash64(v), "value " + v);
        }
    }
}
