package io.sibyl.storage.memtable;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slab allocation of one memtable's packed rows (Cassandra's SlabAllocator): rows are copied into large
 * byte[] regions owned by the memtable and released all at once when the flushed memtable is dropped.
 *
 * <p>Why: a young GC copies every live object it finds, and a memtable is nothing but live objects until it
 * flushes. Rows as objects were ~35 objects per 1 KB row; a region holds a thousand rows in one array, and
 * a full-size region is sized to be a G1 humongous object ({@link #SLAB_SIZE}): allocated straight into old
 * regions, never copied by a young GC. Regions grow from {@link #FIRST_REGION} to a full slab so that the
 * memtables of small tables (schema, system tables) do not hold a megabyte each.
 *
 * <p>A row larger than {@link #MAX_SLABBED} gets an array of its own (it would waste a region's tail).
 * Space a row version no longer uses (a merged row is written anew) stays in its region until the flush;
 * {@link #allocatedBytes()} counts it, as it is held.
 */
final class MemtableAllocator {

    /** Array header bytes G1 counts in a humongous object, with slack. */
    private static final int ARRAY_HEADER_SLACK = 64;
    static final int SLAB_SIZE = slabSize();
    static final int FIRST_REGION = Math.min(64 * 1024, SLAB_SIZE);
    /** Rows above this size are not slabbed (Cassandra's 128 KiB for 1 MiB regions). */
    static final int MAX_SLABBED = SLAB_SIZE / 8;

    private final Object regionLock = new Object();
    private volatile Region current;
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong regionBytes = new AtomicLong();

    /**
     * A G1 region less an array header when G1 runs with regions of at most 4 MiB (a 640 MiB heap has 1 MiB
     * regions): an array over half a region is humongous, and one just under a region wastes nothing of it.
     * Otherwise 1 MiB, an ordinary array the GC copies at most until it is tenured: still one object.
     */
    private static int slabSize() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm != null && Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                if (region >= 1 << 20 && region <= 4 << 20) {
                    return (int) region - ARRAY_HEADER_SLACK;
                }
            }
        } catch (RuntimeException e) {
            // Not HotSpot, or no such option: the portable size below.
        }
        return 1 << 20;
    }

    /**
     * Copies {@code length} bytes of {@code src} into this memtable's memory; the handle to them, a delta on
     * top of {@code older} unless that is null.
     */
    PackedRow store(byte[] src, int length, PackedRow older) {
        if (length > MAX_SLABBED) {
            byte[] own = new byte[length];
            System.arraycopy(src, 0, own, 0, length);
            allocated.addAndGet(length + 16L);
            return new PackedRow(own, 0, length, older);
        }
        while (true) {
            Region r = current;
            if (r != null) {
                int offset = r.allocate(length);
                if (offset >= 0) {
                    System.arraycopy(src, 0, r.data, offset, length);
                    allocated.addAndGet(length);
                    return new PackedRow(r.data, offset, length, older);
                }
            }
            synchronized (regionLock) {
                if (current == r) { // else another writer just opened one: try that
                    int size = r == null ? FIRST_REGION : (int) Math.min(SLAB_SIZE, 2L * r.data.length);
                    current = new Region(size);
                    regionBytes.addAndGet(size);
                }
            }
        }
    }

    /** The heap bytes {@link #store} takes for a row of {@code length} bytes. */
    static long cost(int length) {
        return length > MAX_SLABBED ? length + 16L : length;
    }

    /** Bytes handed out to rows, including superseded versions and oversized rows' own arrays. */
    long allocatedBytes() {
        return allocated.get();
    }

    /** Bytes of the regions opened so far (used or not). */
    long regionBytes() {
        return regionBytes.get();
    }

    private static final class Region {
        private static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Region.class, "next", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final byte[] data;
        @SuppressWarnings("unused") // through NEXT
        private volatile int next;

        Region(int size) {
            this.data = new byte[size];
        }

        /** The offset of {@code length} fresh bytes, or -1 when the region is full. */
        int allocate(int length) {
            while (true) {
                int offset = (int) NEXT.getVolatile(this);
                if (offset + length > data.length) {
                    return -1;
                }
                if (NEXT.compareAndSet(this, offset, offset + length)) {
                    return offset;
                }
            }
        }
    }
}
