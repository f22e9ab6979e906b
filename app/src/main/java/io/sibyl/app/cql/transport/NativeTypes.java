package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.result.RawType;
import io.sibyl.storage.types.AsciiText;
import io.sibyl.storage.types.AsciiType;
import io.sibyl.storage.types.BigintType;
import io.sibyl.storage.types.BlobType;
import io.sibyl.storage.types.BooleanType;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.DateType;
import io.sibyl.storage.types.DecimalType;
import io.sibyl.storage.types.DoubleType;
import io.sibyl.storage.types.FloatType;
import io.sibyl.storage.types.InetType;
import io.sibyl.storage.types.IntType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.SetType;
import io.sibyl.storage.types.SmallintType;
import io.sibyl.storage.types.TextType;
import io.sibyl.storage.types.TimeType;
import io.sibyl.storage.types.TimestampType;
import io.sibyl.storage.types.TimeuuidType;
import io.sibyl.storage.types.TinyintType;
import io.sibyl.storage.types.TypeCoercion;
import io.sibyl.storage.types.UuidType;
import io.sibyl.storage.types.VarintType;
import java.nio.ByteBuffer;

/**
 * Sibyl's CQL types as the native protocol names them ([option] type ids of result and variable
 * metadata), and values between the protocol's [bytes] and Java values. Sibyl's {@link CqlType}
 * encodings are already the protocol v4 encodings (so that tokens equal Cassandra's), so a value
 * crosses the wire through {@code serialize}/{@code deserialize} and nothing else.
 */
final class NativeTypes {

    private NativeTypes() {
    }

    static RawType rawType(CqlType type) {
        if (type instanceof ListType l) {
            return new RawType.RawList(rawType(l.elementType()));
        }
        if (type instanceof SetType s) {
            return new RawType.RawSet(rawType(s.elementType()));
        }
        if (type instanceof MapType m) {
            return new RawType.RawMap(rawType(m.keyType()), rawType(m.valueType()));
        }
        return RawType.PRIMITIVES.get(primitiveId(type));
    }

    static RawType rawType(String cqlTypeText) {
        return rawType(CqlTypes.parse(cqlTypeText));
    }

    private static int primitiveId(CqlType t) {
        if (t instanceof AsciiType) return ProtocolConstants.DataType.ASCII;
        if (t instanceof TextType) return ProtocolConstants.DataType.VARCHAR;
        if (t instanceof BooleanType) return ProtocolConstants.DataType.BOOLEAN;
        if (t instanceof TinyintType) return ProtocolConstants.DataType.TINYINT;
        if (t instanceof SmallintType) return ProtocolConstants.DataType.SMALLINT;
        if (t instanceof IntType) return ProtocolConstants.DataType.INT;
        if (t instanceof BigintType) return ProtocolConstants.DataType.BIGINT;
        if (t instanceof VarintType) return ProtocolConstants.DataType.VARINT;
        if (t instanceof FloatType) return ProtocolConstants.DataType.FLOAT;
        if (t instanceof DoubleType) return ProtocolConstants.DataType.DOUBLE;
        if (t instanceof DecimalType) return ProtocolConstants.DataType.DECIMAL;
        if (t instanceof TimestampType) return ProtocolConstants.DataType.TIMESTAMP;
        if (t instanceof DateType) return ProtocolConstants.DataType.DATE;
        if (t instanceof TimeType) return ProtocolConstants.DataType.TIME;
        if (t instanceof UuidType) return ProtocolConstants.DataType.UUID;
        if (t instanceof TimeuuidType) return ProtocolConstants.DataType.TIMEUUID;
        if (t instanceof InetType) return ProtocolConstants.DataType.INET;
        if (t instanceof BlobType) return ProtocolConstants.DataType.BLOB;
        throw new IllegalArgumentException("no native protocol type for " + t.cqlName());
    }

    /**
     * The Java value of a bound [bytes] value; null for a null value. An empty value of a
     * non-string type (which some drivers send) is null too: Sibyl stores no empty values.
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding of the type
     */
    static Object decode(CqlType type, ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = ownedBytes(value);
        if (bytes.length == 0 && !(type instanceof TextType || type instanceof AsciiType || type instanceof BlobType)) {
            return null;
        }
        if ((type instanceof TextType || type instanceof AsciiType) && isAscii(bytes)) {
            // Already its own serialized form: never decoded into a String and encoded back (ADR: batch write path).
            return new AsciiText(bytes);
        }
        return type.deserialize(bytes);
    }

    /**
     * The value's bytes: the buffer's own array when it wraps exactly one (a decoded frame's value is a
     * fresh copy that nothing else holds or changes), else a copy.
     */
    private static byte[] ownedBytes(ByteBuffer value) {
        if (value.hasArray() && value.arrayOffset() == 0 && value.position() == 0
                && value.remaining() == value.array().length) {
            return value.array();
        }
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The [bytes] of a result value as {@link io.sibyl.app.cql.QueryResult} carries it (the JSON-ready
     * rendering of {@code TypeCoercion.toJson}, which {@code TypeCoercion.coerce} reads back).
     */
    static ByteBuffer encodeResultValue(CqlType type, Object jsonValue) {
        if (jsonValue == null) {
            return null;
        }
        return ByteBuffer.wrap(type.serialize(TypeCoercion.coerce(type, jsonValue)));
    }
}
