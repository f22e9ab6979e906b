package io.sibyl.storage.sstable;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IndexEntryTest {

    /** {@code find} over a serialized run agrees with decoding every entry, for present and absent keys. */
    @Property(tries = 200)
    void findInARunMatchesAFullDecode(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n) {
        Random r = new Random(seed);
        TreeSet<DecoratedKey> keys = new TreeSet<>();
        while (keys.size() < n) {
            // few distinct tokens, so equal tokens with different keys are common
            byte[] k = new byte[1 + r.nextInt(4)];
            r.nextBytes(k);
            keys.add(new DecoratedKey(r.nextInt(8) - 4, k));
        }
        List<IndexEntry> entries = new ArrayList<>();
        DataOutputBuffer out = new DataOutputBuffer();
        out.writeBytes(new byte[]{9, 9, 9}); // a prefix the scan must not see: the run starts at an offset
        int off = out.length();
        for (DecoratedKey k : keys) {
            List<IndexEntry.Block> blocks = new ArrayList<>();
            for (int b = r.nextInt(3); b > 0; b--) {
                blocks.add(new IndexEntry.Block(Clustering.of(new byte[]{(byte) b}, new byte[r.nextInt(3)]),
                        Clustering.of(new byte[]{(byte) (b + 1)}), r.nextInt(1000), 1 + r.nextInt(1000)));
            }
            IndexEntry e = new IndexEntry(k, r.nextInt(1 << 20), blocks);
            entries.add(e);
            e.write(out);
        }
        byte[] buf = out.toByteArray();
        int len = buf.length - off;
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            IndexEntry found = IndexEntry.find(buf, off, len, e.key());
            assertEquals(e.key(), found.key());
            assertEquals(e.position(), found.position());
            assertEquals(e.blocks().size(), found.blocks().size());
            // with an end slot: the same entry, and the next entry's data position (-1 after the run's last)
            long[] end = {Long.MIN_VALUE};
            IndexEntry again = IndexEntry.find(buf, off, len, e.key(), end);
            assertEquals(e.position(), again.position());
            assertEquals(i + 1 < entries.size() ? entries.get(i + 1).position() : -1, end[0], "end of entry " + i);
        }
        for (int i = 0; i < 50; i++) {
            byte[] k = new byte[1 + r.nextInt(4)];
            r.nextBytes(k);
            DecoratedKey probe = new DecoratedKey(r.nextInt(10) - 5, k);
            if (!keys.contains(probe)) {
                assertNull(IndexEntry.find(buf, off, len, probe), "absent " + probe);
            }
        }
    }

    @Property(tries = 200)
    void fastBufferReadsEqualTheByteWiseOnes(@ForAll long a, @ForAll int b, @ForAll long v) {
        DataOutputBuffer out = new DataOutputBuffer();
        out.writeLong(a);
        out.writeInt(b);
        out.writeUnsignedVInt(v);
        out.writeUnsignedVInt(v & 0x7F);
        DataInputBuffer in = new DataInputBuffer(out.toByteArray());
        assertEquals(a, in.readLong());
        assertEquals(b, in.readInt());
        assertEquals(v, in.readUnsignedVInt());
        assertEquals(v & 0x7F, in.readUnsignedVInt());
        assertEquals(0, in.remaining());
    }
}
