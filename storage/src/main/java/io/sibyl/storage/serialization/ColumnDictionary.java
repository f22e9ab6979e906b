package io.sibyl.storage.serialization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Column names numbered in first-seen order, so an encoded cell names its column with a one-byte
 * varint instead of the name. Names (not schema positions) are what is numbered: cells of dropped or
 * re-added columns stay decodable whatever the schema is when they are read back. A commit-log record
 * carries its own dictionary; an SSTable stores one for the whole file in its Statistics component.
 */
public final class ColumnDictionary implements ColumnNames {

    private static final int IDENTITY_SCAN = 16;

    private final List<String> names;
    /**
     * Names to numbers, built only once there are more than {@link #IDENTITY_SCAN} names: every commit-log
     * record has a dictionary of its own, and a map per write was garbage for the few columns a row has.
     */
    private Map<String, Integer> index;

    public ColumnDictionary() {
        this.names = new ArrayList<>();
    }

    public ColumnDictionary(List<String> names) {
        this.names = new ArrayList<>(names);
        if (this.names.size() > IDENTITY_SCAN) {
            buildIndex();
        }
    }

    private void buildIndex() {
        index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
    }

    /**
     * The number of a name, numbering it if new. Cells name their column with the schema's own String
     * instance, so a scan by identity over the first names finds it without hashing (every cell of a
     * commit-log record, flush and compaction goes through here).
     */
    @Override
    public int indexOf(String name) {
        int size = names.size();
        for (int k = 0, n = Math.min(size, IDENTITY_SCAN); k < n; k++) {
            if (names.get(k) == name) {
                return k;
            }
        }
        if (index == null) { // at most IDENTITY_SCAN names: compare them by value
            for (int k = 0; k < size; k++) {
                if (names.get(k).equals(name)) {
                    return k;
                }
            }
            names.add(name);
            if (names.size() > IDENTITY_SCAN) {
                buildIndex();
            }
            return size;
        }
        Integer i = index.get(name);
        if (i == null) {
            i = size;
            names.add(name);
            index.put(name, i);
        }
        return i;
    }

    @Override
    public String name(int i) {
        if (i < 0 || i >= names.size()) {
            throw new MalformedDataException("column number " + i + " not in a dictionary of " + names.size());
        }
        return names.get(i);
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public void write(DataOutputBuffer out) {
        out.writeUnsignedVInt(names.size());
        for (String n : names) {
            out.writeString(n);
        }
    }

    public static ColumnDictionary read(DataInputPlus in) {
        int n = in.readLength();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(in.readString());
        }
        return new ColumnDictionary(names);
    }
}
