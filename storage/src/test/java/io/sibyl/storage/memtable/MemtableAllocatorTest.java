package io.sibyl.storage.memtable;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemtableAllocatorTest {

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static byte[] contents(PackedRow p) {
        return Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length());
    }

    @Test
    void rowsFillRegionsThatGrowToAFullSlabAndNeverStraddleOne() {
        MemtableAllocator a = new MemtableAllocator();
        List<PackedRow> stored = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        long total = 0;
        // Odd sizes, so rows end at every offset and some do not fit a region's tail.
        for (int i = 0; total < 3L * MemtableAllocator.SLAB_SIZE; i++) {
            byte[] row = pattern(1 + (i * 7919) % 4000, i);
            stored.add(a.store(row, row.length, null));
            expected.add(row);
            total += row.length;
        }
        Map<byte[], Boolean> regions = new IdentityHashMap<>();
        for (int i = 0; i < stored.size(); i++) {
            PackedRow p = stored.get(i);
            assertArrayEquals(expected.get(i), contents(p), "row " + i);
            assertTrue(p.offset() + p.length() <= p.buffer().length);
            regions.put(p.buffer(), true);
        }
        assertEquals(total, a.allocatedBytes(), "used bytes are counted, not regions");
        assertTrue(regions.size() < 12, "rows share regions: " + regions.size());
        assertTrue(regions.keySet().stream().anyMatch(r -> r.length == MemtableAllocator.SLAB_SIZE), "grew to a full slab");
        assertEquals(regions.keySet().stream().mapToLong(r -> r.length).sum(), a.regionBytes());
        assertEquals(MemtableAllocator.FIRST_REGION, stored.get(0).buffer().length);
    }

    @Test
    void aRowLargerThanASlabGetsAnArrayOfItsOwn() {
        MemtableAllocator a = new MemtableAllocator();
        byte[] small = pattern(100, 1);
        PackedRow before = a.store(small, small.length, null);
        byte[] huge = pattern(MemtableAllocator.SLAB_SIZE + 1, 2);
        PackedRow big = a.store(huge, huge.length, null);
        byte[] edge = pattern(MemtableAllocator.MAX_SLABBED + 1, 3);
        PackedRow justOver = a.store(edge, edge.length, null);
        byte[] fits = pattern(MemtableAllocator.MAX_SLABBED, 4);
        PackedRow atLimit = a.store(fits, fits.length, null);
        PackedRow after = a.store(small, small.length, null);

        assertArrayEquals(huge, contents(big));
        assertEquals(huge.length, big.buffer().length);
        assertArrayEquals(edge, contents(justOver));
        assertEquals(edge.length, justOver.buffer().length);
        assertArrayEquals(fits, contents(atLimit));
        assertArrayEquals(small, contents(before));
        assertArrayEquals(small, contents(after));
        assertNotSame(big.buffer(), after.buffer());
        assertEquals(100 + (huge.length + 16L) + (edge.length + 16L) + fits.length + 100, a.allocatedBytes());
    }

    @Test
    void concurrentWritersNeverShareBytes() throws Exception {
        MemtableAllocator a = new MemtableAllocator();
        int threads = 4;
        int perThread = 20_000;
        ConcurrentLinkedQueue<Object[]> stored = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    byte[] row = pattern(1 + (i * 31 + id * 7) % 300, id * perThread + i);
                    stored.add(new Object[] {a.store(row, row.length, null), row});
                }
            }));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join();
        }
        assertEquals(threads * perThread, stored.size());
        long total = 0;
        for (Object[] s : stored) {
            assertArrayEquals((byte[]) s[1], contents((PackedRow) s[0]), "a row overwritten by another writer");
            total += ((byte[]) s[1]).length;
        }
        assertEquals(total, a.allocatedBytes());
    }

    @Test
    void aSlabIsJustUnderAG1RegionWhenThatMakesItHumongous() {
        // 1 MiB regions (a 640 MiB heap) give 1 MiB less a header: over half a region, so G1 never copies it.
        assertTrue(MemtableAllocator.SLAB_SIZE >= (1 << 20) - 64 && MemtableAllocator.SLAB_SIZE <= (4 << 20),
                "slab " + MemtableAllocator.SLAB_SIZE);
        assertEquals(MemtableAllocator.SLAB_SIZE / 8, MemtableAllocator.MAX_SLABBED);
    }
}
