package io.sibyl.storage.testutil;

import io.sibyl.storage.types.CqlType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeSet;

/** Minimal CQL types for storage tests (the real ones live in io.sibyl.storage.types). */
public final class TestTypes {

    private TestTypes() {
    }

    public static final CqlType BIGINT = new CqlType() {
        @Override
        public String cqlName() {
            return "bigint";
        }

        @Override
        public byte[] serialize(Object value) {
            return ByteBuffer.allocate(8).putLong((Long) value).array();
        }

        @Override
        public Object deserialize(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getLong();
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return Long.compare(ByteBuffer.wrap(a).getLong(), ByteBuffer.wrap(b).getLong());
        }
    };

    public static final CqlType TEXT = new CqlType() {
        @Override
        public String cqlName() {
            return "text";
        }

        @Override
        public byte[] serialize(Object value) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Object deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }
    };

    /** set&lt;bigint&gt;, non-frozen: one cell per element, the element as the cell path. */
    public static final CqlType SET_OF_BIGINT = new CqlType() {
        @Override
        public String cqlName() {
            return "set<bigint>";
        }

        @Override
        public byte[] serialize(Object value) {
            throw new UnsupportedOperationException("not needed by storage tests");
        }

        @Override
        public Object deserialize(byte[] bytes) {
            throw new UnsupportedOperationException("not needed by storage tests");
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        @Override
        public boolean isCollection() {
            return true;
        }

        @Override
        public boolean isMultiCell() {
            return true;
        }

        @Override
        public Comparator<byte[]> pathComparator() {
            return BIGINT;
        }
    };

    public static byte[] bigint(long v) {
        return BIGINT.serialize(v);
    }

    public static long bigint(byte[] b) {
        return (Long) BIGINT.deserialize(b);
    }

    public static byte[] text(String s) {
        return TEXT.serialize(s);
    }

    /** Decodes bigint cell paths (set elements) into a sorted set, for assertions on collections. */
    public static TreeSet<Long> longs(Iterable<byte[]> encoded) {
        TreeSet<Long> s = new TreeSet<>();
        for (byte[] b : encoded) {
            s.add(bigint(b));
        }
        return s;
    }
}
