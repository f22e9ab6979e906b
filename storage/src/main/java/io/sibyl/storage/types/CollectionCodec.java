package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The native protocol v4 collection layout: int count, then per element an int length and the bytes. */
final class CollectionCodec {

    private CollectionCodec() {
    }

    /** {@code list<int>} or, when frozen, {@code frozen<list<int>>}. */
    static String name(String base, boolean frozen) {
        return frozen ? "frozen<" + base + ">" : base;
    }

    static byte[] pack(List<byte[]> elements) {
        return pack(elements, 1);
    }

    /** Packs parts; with two parts per entry (a map's key and value) the count written is of entries. */
    static byte[] pack(List<byte[]> elements, int partsPerEntry) {
        int size = 4;
        for (byte[] e : elements) {
            size += 4 + e.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).putInt(elements.size() / partsPerEntry);
        for (byte[] e : elements) {
            buf.putInt(e.length).put(e);
        }
        return buf.array();
    }

    /** The elements of a packed collection; an empty byte array is read as an empty collection. */
    static List<byte[]> unpack(byte[] bytes, CqlType owner) {
        return unpack(bytes, owner, 1);
    }

    /** Unpacks the parts of {@code count * partsPerEntry} elements (2 for a map: key, value, key, ...). */
    static List<byte[]> unpack(byte[] bytes, CqlType owner, int partsPerEntry) {
        if (bytes.length == 0) {
            return List.of();
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            int entries = buf.getInt();
            if (entries < 0 || (long) entries * partsPerEntry > bytes.length / 4) {
                throw new IllegalArgumentException("Invalid element count " + entries + " for type " + owner.cqlName());
            }
            int count = entries * partsPerEntry;
            List<byte[]> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = buf.getInt();
                if (length < 0) {
                    throw new IllegalArgumentException("Null element in a value of type " + owner.cqlName());
                }
                byte[] e = new byte[length];
                buf.get(e);
                out.add(e);
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes in a value of type " + owner.cqlName());
            }
            return out;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated value of type " + owner.cqlName());
        }
    }

    /** Cassandra's order of frozen lists and sets: element by element, then the shorter first. */
    static int compareSequences(List<byte[]> a, List<byte[]> b, Comparator<byte[]> elementOrder) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = elementOrder.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static <T> T requireClass(Object value, Class<T> type, CqlType owner) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("Expected " + type.getSimpleName() + " for type " + owner.cqlName()
                    + " but got " + (value == null ? "null" : value.getClass().getName()));
        }
        return type.cast(value);
    }

    static byte[] serializeElement(CqlType type, Object element, CqlType owner) {
        if (element == null) {
            throw new IllegalArgumentException("null is not supported inside a value of type " + owner.cqlName());
        }
        return type.serialize(element);
    }

    /** Orders Java values of a type as their encodings sort (used for set elements and map keys). */
    static Comparator<Object> valueOrder(CqlType type) {
        return type::compareValues;
    }
}
