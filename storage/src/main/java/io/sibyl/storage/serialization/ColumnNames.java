package io.sibyl.storage.serialization;

/**
 * Numbers column names for {@link RowSerializer}'s cells: a per-record or per-file {@link ColumnDictionary},
 * or a memtable's thread-safe numbering (its packed rows use the same cell encoding).
 */
public interface ColumnNames {

    /** The number of a name, numbering it if new. */
    int indexOf(String name);

    /** The name numbered {@code i}; {@link MalformedDataException} if there is none. */
    String name(int i);
}
