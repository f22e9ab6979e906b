package io.sibyl.storage.memtable;

import io.sibyl.storage.serialization.ColumnNames;
import io.sibyl.storage.serialization.MalformedDataException;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The column numbering of one memtable's packed rows, shared by every writer and reader of it. Names are
 * only added, never renumbered, so a packed row decodes the same whenever it is read. Decoding hands out
 * the instance numbered first (normally the schema's own String), so a decoded cell allocates no name.
 */
final class MemtableColumns implements ColumnNames {

    private static final int IDENTITY_SCAN = 16;

    private final ConcurrentHashMap<String, Integer> numbers = new ConcurrentHashMap<>();
    /** Copy-on-write under {@code this}: readers index it without a lock. */
    private volatile String[] names = new String[0];

    @Override
    public int indexOf(String name) {
        String[] n = names;
        // Cells carry the schema's String instances: an identity scan finds them without hashing the name.
        for (int k = 0, end = Math.min(n.length, IDENTITY_SCAN); k < end; k++) {
            if (n[k] == name) {
                return k;
            }
        }
        Integer i = numbers.get(name);
        return i != null ? i : add(name);
    }

    private synchronized int add(String name) {
        Integer i = numbers.get(name);
        if (i != null) {
            return i;
        }
        String[] grown = Arrays.copyOf(names, names.length + 1);
        grown[names.length] = name;
        names = grown; // published before the number, so whoever sees the number can read the name
        numbers.put(name, names.length - 1);
        return names.length - 1;
    }

    @Override
    public String name(int i) {
        String[] n = names;
        if (i < 0 || i >= n.length) {
            throw new MalformedDataException("column number " + i + " not in a memtable numbering of " + n.length);
        }
        return n[i];
    }

    int size() {
        return names.length;
    }
}
