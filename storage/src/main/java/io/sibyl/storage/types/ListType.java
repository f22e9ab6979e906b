package io.sibyl.storage.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * {@code list<T>}: Java value {@link List}. Multi-cell lists key each element by a fresh timeuuid so
 * cells sort in insertion order; the encoded value of a frozen list keeps the list's order.
 */
public record ListType(CqlType elementType, boolean frozen) implements CollectionType {

    public ListType {
        if (elementType == null) {
            throw new IllegalArgumentException("list needs an element type");
        }
    }

    @Override
    public String cqlName() {
        return CollectionCodec.name("list<" + elementType.cqlName() + ">", frozen);
    }

    @Override
    public Class<?> javaClass() {
        return List.class;
    }

    @Override
    public ListType withFrozen(boolean frozen) {
        return new ListType(elementType, frozen);
    }

    @Override
    public byte[] serialize(Object value) {
        List<?> list = CollectionCodec.requireClass(value, List.class, this);
        List<byte[]> elements = new ArrayList<>(list.size());
        for (Object e : list) {
            elements.add(CollectionCodec.serializeElement(elementType, e, this));
        }
        return CollectionCodec.pack(elements);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        List<Object> out = new ArrayList<>();
        for (byte[] e : CollectionCodec.unpack(bytes, this)) {
            out.add(elementType.deserialize(e));
        }
        return Collections.unmodifiableList(out);
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
        return TimeuuidType.INSTANCE;
    }

    @Override
    public List<CollectionCell> toCells(Object value) {
        List<?> list = CollectionCodec.requireClass(value, List.class, this);
        List<CollectionCell> cells = new ArrayList<>(list.size());
        for (Object e : list) {
            byte[] element = CollectionCodec.serializeElement(elementType, e, this);
            cells.add(new CollectionCell(UuidType.toBytes(TimeUUIDs.next()), element));
        }
        return cells;
    }

    @Override
    public Object fromCells(List<CollectionCell> cells) {
        List<Object> out = new ArrayList<>(cells.size());
        for (CollectionCell cell : cells) {
            out.add(elementType.deserialize(cell.value()));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return cqlName();
    }
}
