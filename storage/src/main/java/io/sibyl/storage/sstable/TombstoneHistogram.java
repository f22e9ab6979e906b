package io.sibyl.storage.sstable;

import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;

import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded streaming histogram of tombstone drop times (the second a tombstone or expired cell may be
 * purged, before gc_grace), as Cassandra's estimatedTombstoneDropTime: at most {@code maxBins} points,
 * merging the two closest when full. It answers "about how many tombstones are droppable before T",
 * which compaction uses to pick single-SSTable tombstone compactions.
 */
public final class TombstoneHistogram {

    static final int MAX_BINS = 100;

    private final TreeMap<Integer, Long> bins = new TreeMap<>();

    void add(int point) {
        bins.merge(point, 1L, Long::sum);
        if (bins.size() > MAX_BINS) {
            mergeClosest();
        }
    }

    private void mergeClosest() {
        Integer bestLeft = null;
        long bestGap = Long.MAX_VALUE;
        Integer prev = null;
        for (Integer p : bins.keySet()) {
            if (prev != null && (long) p - prev < bestGap) {
                bestGap = (long) p - prev;
                bestLeft = prev;
            }
            prev = p;
        }
        Integer right = bins.higherKey(bestLeft);
        long lc = bins.remove(bestLeft);
        long rc = bins.remove(right);
        int merged = (int) ((bestLeft * (double) lc + right * (double) rc) / (lc + rc));
        bins.merge(merged, lc + rc, Long::sum);
    }

    /** About how many points are at or before {@code limit}. */
    public long sum(int limit) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : bins.headMap(limit, true).entrySet()) {
            n += e.getValue();
        }
        return n;
    }

    public long total() {
        return sum(Integer.MAX_VALUE);
    }

    void write(DataOutputBuffer out) {
        out.writeUnsignedVInt(bins.size());
        for (Map.Entry<Integer, Long> e : bins.entrySet()) {
            out.writeInt(e.getKey());
            out.writeUnsignedVInt(e.getValue());
        }
    }

    static TombstoneHistogram read(DataInputPlus in) {
        TombstoneHistogram h = new TombstoneHistogram();
        int n = in.readLength();
        for (int i = 0; i < n; i++) {
            h.bins.put(in.readInt(), in.readUnsignedVInt());
        }
        return h;
    }
}
