package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BloomFilterTest {

    static byte[] key(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    @Test
    void noFalseNegativesAndFalsePositiveRateNearTarget() {
        for (double target : new double[]{0.01, 0.1}) {
            int n = 20_000;
            BloomFilter f = BloomFilter.create(n, target);
            for (long i = 0; i < n; i++) {
                f.add(key(i));
            }
            for (long i = 0; i < n; i++) {
                assertTrue(f.mightContain(key(i)), "false negative for " + i);
            }
            int fp = 0;
            int probes = 100_000;
            for (long i = n; i < n + probes; i++) {
                if (f.mightContain(key(i))) {
                    fp++;
                }
            }
            double rate = fp / (double) probes;
            assertTrue(rate < target * 1.5 && rate > target / 3, "fp rate " + rate + " for target " + target);
        }
    }

    @Test
    void roundTripsThroughItsEncoding() {
        BloomFilter f = BloomFilter.create(100, 0.01);
        for (long i = 0; i < 100; i++) {
            f.add(key(i * 7));
        }
        DataOutputBuffer out = new DataOutputBuffer();
        f.write(out);
        BloomFilter back = BloomFilter.read(new DataInputBuffer(out.toByteArray()));
        assertEquals(f.numHashes(), back.numHashes());
        assertEquals(f.numBits(), back.numBits());
        for (long i = 0; i < 1000; i++) {
            assertEquals(f.mightContain(key(i)), back.mightContain(key(i)));
        }
    }
}
