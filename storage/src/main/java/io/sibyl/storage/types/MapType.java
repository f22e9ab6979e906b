package io.sibyl.storage.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code map<K, V>}: Java value {@link Map}, iterated in the key type's order. Encoded as a count, then
 * key and value per entry. Multi-cell maps keep one cell per entry: path = key, value = value.
 */
public record MapType(CqlType keyType, CqlType valueType, boolean frozen) implements CollectionType {

    public MapType {
        if (keyType == null || valueType == null) {
            throw new IllegalArgumentException("map needs a key type and a value type");
        }
    }

    @Override
    public String cqlName() {
        return CollectionCodec.name("map<" + keyType.cqlName() + ", " + valueType.cqlName() + ">", frozen);
    }

    @Override
    public Class<?> javaClass() {
        return Map.class;
    }

    @Override
    public MapType withFrozen(boolean frozen) {
        return new MapType(keyType, valueType, frozen);
    }

    /** The Java value for these entries: sorted in the key type's order; a later equal key wins. */
    public SortedMap<Object, Object> valueOf(Map<?, ?> entries) {
        TreeMap<Object, Object> map = new TreeMap<>(CollectionCodec.valueOrder(keyType));
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("null is not supported inside a value of type " + cqlName());
            }
            map.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(map);
    }

    @Override
    public byte[] serialize(Object value) {
        List<byte[]> parts = new ArrayList<>();
        for (CollectionCell cell : toCells(value)) {
            parts.add(cell.path());
            parts.add(cell.value());
        }
        return CollectionCodec.pack(parts, 2);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        List<CollectionCell> cells = new ArrayList<>();
        List<byte[]> parts = unpackEntries(bytes);
        for (int i = 0; i < parts.size(); i += 2) {
            cells.add(new CollectionCell(parts.get(i), parts.get(i + 1)));
        }
        return fromCells(cells);
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        if (a.length == 0 || b.length == 0) {
            return Boolean.compare(b.length == 0, a.length == 0);
        }
        List<byte[]> left = unpackEntries(a);
        List<byte[]> right = unpackEntries(b);
        for (int i = 0; i < Math.min(left.size(), right.size()); i += 2) {
            int c = keyType.compare(left.get(i), right.get(i));
            if (c == 0) {
                c = valueType.compare(left.get(i + 1), right.get(i + 1));
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    @Override
    public Comparator<byte[]> pathComparator() {
        return keyType;
    }

    @Override
    public List<CollectionCell> toCells(Object value) {
        Map<?, ?> map = CollectionCodec.requireClass(value, Map.class, this);
        TreeMap<byte[], byte[]> sorted = new TreeMap<>(keyType);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            sorted.put(CollectionCodec.serializeElement(keyType, e.getKey(), this),
                    CollectionCodec.serializeElement(valueType, e.getValue(), this));
        }
        List<CollectionCell> cells = new ArrayList<>(sorted.size());
        sorted.forEach((k, v) -> cells.add(new CollectionCell(k, v)));
        return cells;
    }

    @Override
    public Object fromCells(List<CollectionCell> cells) {
        TreeMap<Object, Object> map = new TreeMap<>(CollectionCodec.valueOrder(keyType));
        for (CollectionCell cell : cells) {
            map.put(keyType.deserialize(cell.path()), valueType.deserialize(cell.value()));
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** Keys and values alternating. */
    private List<byte[]> unpackEntries(byte[] bytes) {
        return CollectionCodec.unpack(bytes, this, 2);
    }

    @Override
    public String toString() {
        return cqlName();
    }
}
