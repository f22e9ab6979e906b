package io.sibyl.storage.types;

import java.util.Arrays;

/**
 * One cell of a multi-cell collection: its path (list: a timeuuid, set: the element, map: the key)
 * and its value (list: the element, set: empty, map: the map value), both encoded.
 */
public record CollectionCell(byte[] path, byte[] value) {

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionCell other
                && Arrays.equals(path, other.path) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(path) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CollectionCell[path=0x" + Hex.encode(path) + ", value=0x" + Hex.encode(value) + "]";
    }
}
