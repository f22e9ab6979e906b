package io.sibyl.storage.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Converts "raw" values, as they arrive from JSON or CQL literals (String, Boolean, Long/Integer/
 * BigInteger, Double/BigDecimal, byte[], UUID, List, Set, Map, null), into a type's Java value class,
 * following Cassandra's CQL and JSON rules; and renders values back as plain JSON-ready objects.
 */
public final class TypeCoercion {

    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private TypeCoercion() {
    }

    /** {@link #coerce(CqlType, Object, String)} without a column name in the error. */
    public static Object coerce(CqlType type, Object raw) {
        return coerce(type, raw, null);
    }

    /**
     * The value of {@code type}'s Java class for {@code raw}; null stays null.
     *
     * @param column named in the error message, may be null
     * @throws InvalidValueException when raw is not a valid value of the type
     */
    public static Object coerce(CqlType type, Object raw, String column) {
        if (raw == null) {
            return null;
        }
        if (type instanceof CollectionType) {
            return coerceCollection((CollectionType) type, raw, column);
        }
        try {
            return coerceNative(type, raw);
        } catch (Rejected e) {
            throw invalid(type, raw, column, e.getMessage());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(type, raw, column, null);
        }
    }

    /**
     * A plain Java object for JSON output: String, Number, Boolean, List or Map with String keys.
     * Timestamps are ISO-8601 UTC with milliseconds, blobs {@code 0x} hex, uuid/inet/date/time strings.
     */
    public static Object toJson(CqlType type, Object value) {
        return JsonValues.render(type, value);
    }

    private static Object coerceNative(CqlType type, Object raw) {
        if (type instanceof TextType) {
            String s = requireString(raw);
            TextType.validate(s); // rejects unpaired surrogates, which have no UTF-8 form (serialized later)
            return s;
        } else if (type instanceof AsciiType) {
            String s = requireString(raw);
            if (!s.chars().allMatch(c -> c < 0x80)) {
                throw new Rejected("non-ASCII characters");
            }
            return s;
        } else if (type instanceof BooleanType) {
            return toBoolean(raw);
        } else if (type instanceof TinyintType) {
            return (byte) integral(raw, Byte.MIN_VALUE, Byte.MAX_VALUE, "tinyint");
        } else if (type instanceof SmallintType) {
            return (short) integral(raw, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
        } else if (type instanceof IntType) {
            return (int) integral(raw, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        } else if (type instanceof BigintType) {
            return integral(raw, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
        } else if (type instanceof VarintType) {
            return bigInteger(raw);
        } else if (type instanceof FloatType) {
            return toFloat(raw);
        } else if (type instanceof DoubleType) {
            return toDouble(raw);
        } else if (type instanceof DecimalType) {
            return toDecimal(raw);
        } else if (type instanceof TimestampType) {
            return toTimestamp(raw);
        } else if (type instanceof DateType) {
            return toDate(raw);
        } else if (type instanceof TimeType) {
            return toTime(raw);
        } else if (type instanceof UuidType) {
            return toUuid(raw);
        } else if (type instanceof TimeuuidType) {
            UUID uuid = toUuid(raw);
            if (uuid.version() != 1) {
                throw new Rejected("not a version 1 (time-based) UUID");
            }
            return uuid;
        } else if (type instanceof InetType) {
            return raw instanceof InetAddress ? raw : InetLiterals.parse(requireString(raw));
        } else if (type instanceof BlobType) {
            return toBlob(raw);
        }
        throw new IllegalStateException("No coercion for type " + type.cqlName());
    }

    private static Object coerceCollection(CollectionType type, Object raw, String column) {
        if (type instanceof MapType) {
            MapType mapType = (MapType) type;
            if (!(raw instanceof Map)) {
                throw invalid(type, raw, column, null);
            }
            Map<Object, Object> entries = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
                entries.put(element(mapType.keyType(), e.getKey(), type, column),
                        element(mapType.valueType(), e.getValue(), type, column));
            }
            return mapType.valueOf(entries);
        }
        boolean isList = type instanceof ListType;
        // A set may arrive as a JSON list; a list must be a list (a set literal has no order to keep).
        if (isList ? !(raw instanceof List) : !(raw instanceof Collection)) {
            throw invalid(type, raw, column, null);
        }
        CqlType elementType = isList ? ((ListType) type).elementType() : ((SetType) type).elementType();
        List<Object> elements = new ArrayList<>();
        for (Object e : (Collection<?>) raw) {
            elements.add(element(elementType, e, type, column));
        }
        return isList ? List.copyOf(elements) : ((SetType) type).valueOf(elements);
    }

    private static Object element(CqlType elementType, Object raw, CollectionType outer, String column) {
        if (raw == null) {
            throw new InvalidValueException("null is not supported inside collections ("
                    + where(column) + " of type " + outer.cqlName() + ")", column, outer.cqlName());
        }
        return coerce(elementType, raw, column);
    }

    private static String requireString(Object raw) {
        if (raw instanceof AsciiText ascii) {
            return ascii.toString(); // a bound text value kept as bytes, read as a String where one is needed
        }
        if (!(raw instanceof String)) {
            throw new IllegalArgumentException("not a string");
        }
        return (String) raw;
    }

    private static Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean) {
            return (Boolean) raw;
        }
        String s = requireString(raw).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s.toLowerCase(java.util.Locale.ROOT));
        }
        throw new IllegalArgumentException("not a boolean");
    }

    /** Integers or integer text only: CQL rejects 1.0 for an int column, and so does its JSON. */
    private static BigInteger bigInteger(Object raw) {
        if (raw instanceof BigInteger) {
            return (BigInteger) raw;
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return BigInteger.valueOf(((Number) raw).longValue());
        }
        String s = requireString(raw).trim();
        if (!INTEGER_TEXT.matcher(s).matches()) {
            throw new IllegalArgumentException("not an integer");
        }
        return new BigInteger(s);
    }

    private static long integral(Object raw, long min, long max, String typeName) {
        BigInteger value = bigInteger(raw);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new Rejected("out of range for " + typeName + " [" + min + ", " + max + "]");
        }
        return value.longValue();
    }

    private static Float toFloat(Object raw) {
        if (raw instanceof Float) {
            return (Float) raw;
        }
        double d = toDouble(raw);
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) {
            throw new Rejected("out of range for float");
        }
        return f;
    }

    private static Double toDouble(Object raw) {
        if (raw instanceof Number) {
            double d = ((Number) raw).doubleValue();
            if (Double.isInfinite(d) && !(raw instanceof Double || raw instanceof Float)) {
                throw new Rejected("out of range for double");
            }
            return d;
        }
        String s = requireString(raw).trim();
        if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") || s.equals("+Infinity")) {
            return Double.parseDouble(s);
        }
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("not a number");
        }
        return toDouble(new BigDecimal(s));
    }

    private static BigDecimal toDecimal(Object raw) {
        if (raw instanceof BigDecimal) {
            return (BigDecimal) raw;
        } else if (raw instanceof BigInteger) {
            return new BigDecimal((BigInteger) raw);
        } else if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new Rejected("decimal has no NaN or Infinity");
            }
            return BigDecimal.valueOf(d);
        } else if (raw instanceof Number) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        return new BigDecimal(requireString(raw).trim());
    }

    private static Instant toTimestamp(Object raw) {
        if (raw instanceof Instant) {
            return Instant.ofEpochMilli(((Instant) raw).toEpochMilli());
        }
        if (raw instanceof String && !INTEGER_TEXT.matcher(((String) raw).trim()).matches()) {
            return TemporalLiterals.parseTimestamp((String) raw);
        }
        return Instant.ofEpochMilli(integral(raw, Long.MIN_VALUE, Long.MAX_VALUE, "timestamp"));
    }

    /** A number is the raw unsigned day count whose 2^31 is 1970-01-01, as Cassandra reads it. */
    private static LocalDate toDate(Object raw) {
        if (raw instanceof LocalDate) {
            return (LocalDate) raw;
        }
        if (raw instanceof String && !INTEGER_TEXT.matcher(((String) raw).trim()).matches()) {
            return TemporalLiterals.parseDate((String) raw);
        }
        return DateType.fromUnsignedDays(integral(raw, 0, 0xFFFF_FFFFL, "date"));
    }

    private static LocalTime toTime(Object raw) {
        if (raw instanceof LocalTime) {
            return (LocalTime) raw;
        }
        if (raw instanceof String && !INTEGER_TEXT.matcher(((String) raw).trim()).matches()) {
            return TemporalLiterals.parseTime((String) raw);
        }
        return LocalTime.ofNanoOfDay(integral(raw, 0, LocalTime.MAX.toNanoOfDay(), "time"));
    }

    private static UUID toUuid(Object raw) {
        if (raw instanceof UUID) {
            return (UUID) raw;
        }
        String s = requireString(raw).trim();
        if (!UUID_TEXT.matcher(s).matches()) {
            throw new IllegalArgumentException("not a UUID");
        }
        return UUID.fromString(s);
    }

    private static byte[] toBlob(Object raw) {
        if (raw instanceof byte[]) {
            return (byte[]) raw;
        }
        String s = requireString(raw).trim();
        if (!(s.startsWith("0x") || s.startsWith("0X"))) {
            throw new Rejected("a blob must be a 0x-prefixed hex string");
        }
        return Hex.decode(s.substring(2));
    }

    private static InvalidValueException invalid(CqlType type, Object raw, String column, String reason) {
        String message = "Invalid " + kind(raw) + " constant (" + display(raw) + ") for " + where(column)
                + " of type " + type.cqlName() + (reason == null ? "" : ": " + reason);
        return new InvalidValueException(message, column, type.cqlName());
    }

    private static String where(String column) {
        return column == null ? "value" : "\"" + column + "\"";
    }

    /** The CQL literal kind of a raw value, as Cassandra names it in its error messages. */
    private static String kind(Object raw) {
        if (raw instanceof String) {
            return "STRING";
        } else if (raw instanceof Long || raw instanceof Integer || raw instanceof Short
                || raw instanceof Byte || raw instanceof BigInteger) {
            return "INTEGER";
        } else if (raw instanceof Number) {
            return "FLOAT";
        } else if (raw instanceof Boolean) {
            return "BOOLEAN";
        } else if (raw instanceof byte[]) {
            return "HEX";
        } else if (raw instanceof UUID) {
            return "UUID";
        } else if (raw instanceof List) {
            return "LIST";
        } else if (raw instanceof Collection) {
            return "SET";
        } else if (raw instanceof Map) {
            return "MAP";
        }
        return raw.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    private static String display(Object raw) {
        String s = raw instanceof byte[] ? "0x" + Hex.encode((byte[]) raw) : String.valueOf(raw);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** A rejection whose message explains why (e.g. a range), appended to the standard message. */
    private static final class Rejected extends IllegalArgumentException {
        Rejected(String reason) {
            super(reason);
        }
    }
}
