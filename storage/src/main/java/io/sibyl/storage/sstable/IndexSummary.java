package io.sibyl.storage.sstable;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MalformedDataException;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Nth partition-index entry (key and index file position), held in memory: a lookup binary-searches
 * here, then scans at most N entries of the index file. Also keeps the first and last key of the SSTable.
 */
final class IndexSummary {

    private final DecoratedKey[] keys;
    private final long[] positions;
    private final DecoratedKey first;
    private final DecoratedKey last;

    IndexSummary(List<DecoratedKey> keys, List<Long> positions, DecoratedKey first, DecoratedKey last) {
        this.keys = keys.toArray(new DecoratedKey[0]);
        this.positions = positions.stream().mapToLong(Long::longValue).toArray();
        this.first = first;
        this.last = last;
    }

    DecoratedKey first() {
        return first;
    }

    DecoratedKey last() {
        return last;
    }

    int size() {
        return keys.length;
    }

    /** The index position to start scanning from for {@code key}: the last sampled entry at or before it (or 0). */
    long scanStart(DecoratedKey key) {
        int lo = 0;
        int hi = keys.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid].compareTo(key) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : positions[found];
    }

    /** Where the sampled run containing {@code key} ends (the next sample's position), or -1 for the last run. */
    long scanEnd(DecoratedKey key) {
        int lo = 0;
        int hi = keys.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid].compareTo(key) > 0) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found < 0 ? -1 : positions[found];
    }

    void write(DataOutputBuffer out) {
        writeKey(out, first);
        writeKey(out, last);
        out.writeUnsignedVInt(keys.length);
        for (int i = 0; i < keys.length; i++) {
            writeKey(out, keys[i]);
            out.writeUnsignedVInt(positions[i]);
        }
    }

    static IndexSummary read(DataInputPlus in) {
        DecoratedKey first = readKey(in);
        DecoratedKey last = readKey(in);
        int n = in.readLength();
        List<DecoratedKey> keys = new ArrayList<>(n);
        List<Long> positions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(readKey(in));
            positions.add(in.readUnsignedVInt());
            if (i > 0 && keys.get(i).compareTo(keys.get(i - 1)) <= 0) {
                throw new MalformedDataException("summary keys out of order at entry " + i);
            }
        }
        return new IndexSummary(keys, positions, first, last);
    }

    private static void writeKey(DataOutputBuffer out, DecoratedKey k) {
        out.writeLong(k.token());
        out.writeBytes(k.key());
    }

    private static DecoratedKey readKey(DataInputPlus in) {
        return new DecoratedKey(in.readLong(), in.readBytes());
    }
}
