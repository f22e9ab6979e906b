package io.sibyl.storage.types;

import java.util.Comparator;

/**
 * A CQL data type: how its values are encoded to bytes (Cassandra's native protocol v4 encoding,
 * so that Murmur3 tokens of partition keys equal Apache Cassandra's) and how encoded values sort
 * (Cassandra's ordering for the type, used for clustering order and collection element order).
 *
 * <p>Java value classes: ascii/text/varchar → String, boolean → Boolean, tinyint → Byte,
 * smallint → Short, int → Integer, bigint → Long, varint → BigInteger, float → Float,
 * double → Double, decimal → BigDecimal, timestamp → java.time.Instant (millisecond precision),
 * date → java.time.LocalDate, time → java.time.LocalTime (nanosecond precision),
 * uuid/timeuuid → UUID, inet → java.net.InetAddress, blob → byte[],
 * list → java.util.List, set → java.util.Set (iteration in the element type's order),
 * map → java.util.Map (iteration in the key type's order).
 */
public interface CqlType extends Comparator<byte[]> {

    /** The CQL name as written in DDL, e.g. {@code text}, {@code map<text, int>}. */
    String cqlName();

    /** Encodes a Java value of this type; throws {@link IllegalArgumentException} on a wrong class. */
    byte[] serialize(Object value);

    /** Decodes bytes produced by {@link #serialize}; throws {@link IllegalArgumentException} on bad bytes. */
    Object deserialize(byte[] bytes);

    /** Orders two encoded values as Cassandra orders them for this type. */
    @Override
    int compare(byte[] a, byte[] b);

    /** True for list, set and map. */
    default boolean isCollection() {
        return false;
    }

    /**
     * True for non-frozen collections, whose elements are stored as separate cells keyed by a
     * cell path (list: a timeuuid, set: the element, map: the key) so they can be added and
     * removed individually; false when a value is one opaque cell.
     */
    default boolean isMultiCell() {
        return false;
    }

    /** The Java class of this type's values (for collections the interface: List, Set or Map). */
    default Class<?> javaClass() {
        return Object.class;
    }

    /** Orders two Java values of this type as their encodings would sort. */
    default int compareValues(Object a, Object b) {
        return compare(serialize(a), serialize(b));
    }

    /** Orders the cell paths of a multi-cell collection; for other types, the type's own order. */
    default Comparator<byte[]> pathComparator() {
        return this;
    }
}
