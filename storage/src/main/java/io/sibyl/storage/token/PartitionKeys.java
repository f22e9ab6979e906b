package io.sibyl.storage.token;

import io.sibyl.storage.types.CqlType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a partition key as Cassandra hashes them: a single-column key is the value's encoding
 * as-is; a composite key is Cassandra's CompositeType layout, per component a 2-byte big-endian length,
 * the bytes and a 0x00 end-of-component byte.
 */
public final class PartitionKeys {

    private PartitionKeys() {
    }

    /** The CompositeType encoding of the components (use only for keys of two or more columns). */
    public static byte[] compose(byte[]... components) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : components) {
            if (c.length > 0xFFFF) {
                throw new IllegalArgumentException("Partition key component too long: " + c.length + " bytes (max 65535)");
            }
            out.write(c.length >> 8);
            out.write(c.length);
            out.write(c, 0, c.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The components of a CompositeType encoding; throws {@link IllegalArgumentException} on bad bytes. */
    public static List<byte[]> decompose(byte[] composite) {
        List<byte[]> components = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(composite);
        while (buf.hasRemaining()) {
            if (buf.remaining() < 3) {
                throw new IllegalArgumentException("Truncated composite partition key");
            }
            int length = buf.getShort() & 0xFFFF;
            if (buf.remaining() < length + 1) {
                throw new IllegalArgumentException("Truncated composite partition key component");
            }
            byte[] c = new byte[length];
            buf.get(c);
            buf.get(); // end-of-component byte, always 0 in a partition key
            components.add(c);
        }
        return components;
    }

    /** The serialized key for values of the key columns' types: as-is for one column, composed for more. */
    public static byte[] serialize(List<CqlType> types, List<?> values) {
        if (types.size() != values.size() || types.isEmpty()) {
            throw new IllegalArgumentException("Expected " + types.size() + " partition key values but got " + values.size());
        }
        if (types.size() == 1) {
            return serializeComponent(types.get(0), values.get(0));
        }
        byte[][] components = new byte[types.size()][];
        for (int i = 0; i < components.length; i++) {
            components[i] = serializeComponent(types.get(i), values.get(i));
        }
        return compose(components);
    }

    private static byte[] serializeComponent(CqlType type, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Partition key part of type " + type.cqlName() + " may not be null");
        }
        return type.serialize(value);
    }
}
