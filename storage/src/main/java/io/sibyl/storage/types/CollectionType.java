package io.sibyl.storage.types;

import java.util.Comparator;
import java.util.List;

/**
 * list, set and map. A frozen collection is one opaque cell; a non-frozen (multi-cell) one is stored
 * as one cell per element, see {@link #toCells} and {@link #fromCells}.
 */
public sealed interface CollectionType extends CqlType permits ListType, SetType, MapType {

    /** True for {@code frozen<...>}: the whole value is one cell, compared as a whole. */
    boolean frozen();

    /** The same collection type, frozen or not. */
    CollectionType withFrozen(boolean frozen);

    /** How the cell paths of a multi-cell value sort (list: timeuuid order, set: element, map: key). */
    Comparator<byte[]> pathComparator();

    /** Splits a Java collection value into its cells, in path order (lists get fresh time-ordered paths). */
    List<CollectionCell> toCells(Object value);

    /** Rebuilds the Java collection value from its cells given in path order. */
    Object fromCells(List<CollectionCell> cells);

    @Override
    default boolean isCollection() {
        return true;
    }

    @Override
    default boolean isMultiCell() {
        return !frozen();
    }
}
