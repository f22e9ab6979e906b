package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MalformedDataException;
import io.sibyl.storage.token.MurmurHash3;

/**
 * A bloom filter over partition keys: k bit positions per key from Murmur3's two 64-bit halves by double
 * hashing ({@code h1 + i * h2}), sized for a target false-positive chance. No false negatives: a key
 * added is always reported as possibly present. Immutable once written; reads are thread-safe.
 */
public final class BloomFilter {

    private final long[] words;
    private final long numBits;
    private final int numHashes;

    private BloomFilter(long[] words, int numHashes) {
        this.words = words;
        this.numBits = (long) words.length * 64;
        this.numHashes = numHashes;
    }

    /** An empty filter for about {@code expectedKeys} keys at false-positive chance {@code fpChance}. */
    public static BloomFilter create(long expectedKeys, double fpChance) {
        long n = Math.max(1, expectedKeys);
        double bitsPerKey = -Math.log(fpChance) / (Math.log(2) * Math.log(2));
        long bits = Math.max(64, (long) Math.ceil(n * bitsPerKey));
        long words = (bits + 63) / 64;
        if (words > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bloom filter too large for " + expectedKeys + " keys");
        }
        int k = Math.max(1, Math.min(20, (int) Math.round(bitsPerKey * Math.log(2))));
        return new BloomFilter(new long[(int) words], k);
    }

    public void add(byte[] key) {
        long[] h = MurmurHash3.hash3x64_128(key, 0, key.length, 0);
        for (int i = 0; i < numHashes; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], numBits);
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    public boolean mightContain(byte[] key) {
        long[] h = MurmurHash3.hash3x64_128(key, 0, key.length, 0);
        for (int i = 0; i < numHashes; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], numBits);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    public int numHashes() {
        return numHashes;
    }

    public long numBits() {
        return numBits;
    }

    public long sizeInBytes() {
        return words.length * 8L;
    }

    public void write(DataOutputBuffer out) {
        out.writeInt(numHashes);
        out.writeInt(words.length);
        for (long w : words) {
            out.writeLong(w);
        }
    }

    public static BloomFilter read(DataInputPlus in) {
        int k = in.readInt();
        int n = in.readInt();
        if (k < 1 || k > 64 || n < 1 || n > in.remaining() / 8) {
            throw new MalformedDataException("bad bloom filter header: " + k + " hashes, " + n + " words");
        }
        long[] words = new long[n];
        for (int i = 0; i < n; i++) {
            words[i] = in.readLong();
        }
        return new BloomFilter(words, k);
    }
}
