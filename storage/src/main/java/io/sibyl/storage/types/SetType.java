package io.sibyl.storage.types;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code set<T>}: Java value {@link Set}, iterated in the element type's order; elements equal under
 * that order collapse. Multi-cell sets keep one cell per element: path = element, value = empty.
 */
public record SetType(CqlType elementType, boolean frozen) implements CollectionType {

    private static final byte[] EMPTY = new byte[0];

    public SetType {
        if (elementType == null) {
            throw new IllegalArgumentException("set needs an element type");
        }
    }

    @Override
    public String cqlName() {
        return CollectionCodec.name("set<" + elementType.cqlName() + ">", frozen);
    }

    @Override
    public Class<?> javaClass() {
        return Set.class;
    }

    @Override
    public SetType withFrozen(boolean frozen) {
        return new SetType(elementType, frozen);
    }

    /** The Java value for these elements: sorted in the element type's order, duplicates collapsed. */
    public SortedSet<Object> valueOf(Collection<?> elements) {
        TreeSet<Object> set = new TreeSet<>(CollectionCodec.valueOrder(elementType));
        for (Object e : elements) {
            if (e == null) {
                throw new IllegalArgumentException("null is not supported inside a value of type " + cqlName());
            }
            set.add(e);
        }
        return Collections.unmodifiableSortedSet(set);
    }

    @Override
    public byte[] serialize(Object value) {
        return CollectionCodec.pack(sortedElements(value));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        List<Object> elements = new ArrayList<>();
        for (byte[] e : CollectionCodec.unpack(bytes, this)) {
            elements.add(elementType.deserialize(e));
        }
        return valueOf(elements);
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        if (a.length == 0 || b.length == 0) {
            return Boolean.compare(b.length == 0, a.length == 0);
        }
        return CollectionCodec.compareSequences(
                CollectionCodec.unpack(a, this), CollectionCodec.unpack(b, this), elementType);
    }

    @Override
    public Comparator<byte[]> pathComparator() {
        return elementType;
    }

    @Override
    public List<CollectionCell> toCells(Object value) {
        List<CollectionCell> cells = new ArrayList<>();
        for (byte[] e : sortedElements(value)) {
            cells.add(new CollectionCell(e, EMPTY));
        }
        return cells;
    }

    @Override
    public Object fromCells(List<CollectionCell> cells) {
        List<Object> elements = new ArrayList<>(cells.size());
        for (CollectionCell cell : cells) {
            elements.add(elementType.deserialize(cell.path()));
        }
        return valueOf(elements);
    }

    /** Encoded elements in the element type's order without duplicates, whatever Set class was given. */
    private List<byte[]> sortedElements(Object value) {
        Set<?> set = CollectionCodec.requireClass(value, Set.class, this);
        TreeSet<byte[]> sorted = new TreeSet<>(elementType);
        for (Object e : set) {
            sorted.add(CollectionCodec.serializeElement(elementType, e, this));
        }
        return new ArrayList<>(sorted);
    }

    @Override
    public String toString() {
        return cqlName();
    }
}
