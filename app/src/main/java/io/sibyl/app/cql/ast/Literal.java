package io.sibyl.app.cql.ast;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * A constant as written in the query, in the parser's raw universe: STRING → String, INTEGER →
 * BigInteger, FLOAT → BigDecimal (Double for NaN and ±Infinity), BOOLEAN → Boolean, UUID → UUID,
 * HEX → byte[] (copied in and out, so the record stays immutable), NULL → null.
 */
public record Literal(LiteralKind kind, Object value) implements Term {

    public static final Literal NULL = new Literal(LiteralKind.NULL, null);

    public Literal {
        Objects.requireNonNull(kind, "kind");
        boolean ok = switch (kind) {
            case STRING -> value instanceof String;
            case INTEGER -> value instanceof BigInteger;
            case FLOAT -> value instanceof BigDecimal
                    || value instanceof Double d && (d.isNaN() || d.isInfinite());
            case BOOLEAN -> value instanceof Boolean;
            case UUID -> value instanceof UUID;
            case HEX -> value instanceof byte[];
            case NULL -> value == null;
        };
        if (!ok) {
            throw new IllegalArgumentException("a " + kind + " literal cannot hold " + value);
        }
        if (value instanceof byte[] bytes) {
            value = bytes.clone();
        }
    }

    public static Literal string(String s) {
        return new Literal(LiteralKind.STRING, s);
    }

    public static Literal integer(long n) {
        return new Literal(LiteralKind.INTEGER, BigInteger.valueOf(n));
    }

    public static Literal integer(BigInteger n) {
        return new Literal(LiteralKind.INTEGER, n);
    }

    public static Literal decimal(BigDecimal d) {
        return new Literal(LiteralKind.FLOAT, d);
    }

    public static Literal decimal(String d) {
        return decimal(new BigDecimal(d));
    }

    /** NaN, Infinity or -Infinity, which BigDecimal cannot hold. */
    public static Literal special(double d) {
        return new Literal(LiteralKind.FLOAT, d);
    }

    public static Literal bool(boolean b) {
        return new Literal(LiteralKind.BOOLEAN, b);
    }

    public static Literal uuid(UUID u) {
        return new Literal(LiteralKind.UUID, u);
    }

    public static Literal hex(byte[] bytes) {
        return new Literal(LiteralKind.HEX, bytes);
    }

    @Override
    public Object value() {
        return value instanceof byte[] bytes ? bytes.clone() : value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Literal other) || kind != other.kind) {
            return false;
        }
        if (value instanceof byte[] mine && other.value instanceof byte[] theirs) {
            return Arrays.equals(mine, theirs);
        }
        return Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + (value instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(value));
    }

    @Override
    public String toString() {
        return "Literal[" + kind + " " + toCql() + "]";
    }

    @Override
    public String toCql() {
        return switch (kind) {
            case STRING -> "'" + ((String) value).replace("'", "''") + "'";
            case INTEGER, BOOLEAN, UUID -> value.toString();
            case FLOAT -> floatToCql();
            case HEX -> "0x" + HexFormat.of().formatHex((byte[]) value);
            case NULL -> "null";
        };
    }

    private String floatToCql() {
        if (value instanceof Double d) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        String text = value.toString();
        // "1." parses to a BigDecimal printed as "1", which would read back as an INTEGER.
        return text.contains(".") || text.contains("E") ? text : text + "E0";
    }
}
