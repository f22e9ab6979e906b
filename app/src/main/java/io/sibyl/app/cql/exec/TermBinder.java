package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.LiteralKind;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
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
import io.sibyl.storage.types.TimeUUIDs;
import io.sibyl.storage.types.TimestampType;
import io.sibyl.storage.types.TimeuuidType;
import io.sibyl.storage.types.TinyintType;
import io.sibyl.storage.types.TypeCoercion;
import io.sibyl.storage.types.UuidType;
import io.sibyl.storage.types.VarintType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an AST {@link Term} into a typed Java value for the column that receives it: literals with
 * Cassandra's literal-kind rules (a STRING is not an int), collection literals element by element,
 * bind markers through {@link TypeCoercion}'s JSON rules, and the time functions ({@code now()},
 * {@code toTimestamp(now())}, {@code minTimeuuid(...)}, ...). One binder serves one request.
 */
final class TermBinder {

    /** A function result with its CQL type. */
    private record Typed(Object value, CqlType type) {}

    private final BoundValues values;
    private final MicrosClock clock;

    TermBinder(BoundValues values, MicrosClock clock) {
        this.values = values;
        this.clock = clock;
    }

    /** The value of {@code term} for {@code column} of {@code type}; null for CQL null. */
    Object bind(Term term, CqlType type, String column) {
        if (term instanceof Literal lit) {
            return literal(lit, type, column);
        }
        if (term instanceof Term.BindMarker m) {
            return TypeCoercion.coerce(type, values.get(m), column);
        }
        if (term instanceof Term.ListLiteral list) {
            if (!(type instanceof ListType lt)) {
                throw new InvalidRequestException("Invalid list literal for " + column + " of type " + type.cqlName());
            }
            List<Object> out = new ArrayList<>(list.elements().size());
            for (Term e : list.elements()) {
                out.add(element(e, lt.elementType(), column));
            }
            return List.copyOf(out);
        }
        if (term instanceof Term.SetLiteral set) {
            if (type instanceof MapType mt && set.elements().isEmpty()) {
                return mt.valueOf(Map.of());
            }
            if (!(type instanceof SetType st)) {
                throw new InvalidRequestException("Invalid set literal for " + column + " of type " + type.cqlName());
            }
            List<Object> out = new ArrayList<>(set.elements().size());
            for (Term e : set.elements()) {
                out.add(element(e, st.elementType(), column));
            }
            return st.valueOf(out);
        }
        if (term instanceof Term.MapLiteral map) {
            if (!(type instanceof MapType mt)) {
                throw new InvalidRequestException("Invalid map literal for " + column + " of type " + type.cqlName());
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Term.Entry e : map.entries()) {
                out.put(element(e.key(), mt.keyType(), column), element(e.value(), mt.valueType(), column));
            }
            return mt.valueOf(out);
        }
        if (term instanceof Term.TupleLiteral) {
            throw new InvalidRequestException("Invalid tuple literal for " + column + " of type " + type.cqlName());
        }
        if (term instanceof Term.FunctionCall f) {
            Typed t = call(f);
            if (!assignable(t.type, type)) {
                throw new InvalidRequestException("Type error: cannot assign result of function system." + f.name()
                        + " (type " + t.type.cqlName() + ") to " + column + " (type " + type.cqlName() + ")");
            }
            return t.value;
        }
        if (term instanceof Term.TypeCast cast) {
            CqlType castType;
            try {
                castType = CqlTypes.parse(cast.type());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("Unknown type " + cast.type());
            }
            if (!assignable(castType, type)) {
                throw new InvalidRequestException("Cannot assign value of type " + castType.cqlName() + " to "
                        + column + " of type " + type.cqlName());
            }
            return bind(cast.term(), castType, column);
        }
        throw new InvalidRequestException("Unsupported term " + term.toCql());
    }

    /** A non-null value (partition/clustering keys, IN elements). */
    Object bindNonNull(Term term, CqlType type, String column) {
        Object v = bind(term, type, column);
        if (v == null) {
            throw new InvalidRequestException("Invalid null value in condition for column " + column);
        }
        return v;
    }

    /**
     * A value to be written to a cell: as {@link #bind}, except that a marker bound to an ASCII text value
     * of a text or ascii column stays in its serialized form ({@link AsciiText}) instead of becoming a
     * String that is encoded back at once. Only for values that go straight into cells (never for keys,
     * conditions or restrictions, which compare Strings).
     */
    Object bindCellValue(Term term, CqlType type, String column) {
        if (term instanceof Term.BindMarker m && (type instanceof TextType || type instanceof AsciiType)
                && values.get(m) instanceof AsciiText ascii) {
            return ascii;
        }
        return bind(term, type, column);
    }

    /** The values of an IN: a literal list, or a marker bound to a JSON list. */
    List<Object> bindInValues(Term term, CqlType type, String column) {
        List<Object> out = new ArrayList<>();
        if (term instanceof Term.ListLiteral list) {
            for (Term e : list.elements()) {
                out.add(bindNonNull(e, type, column));
            }
            return out;
        }
        if (term instanceof Term.BindMarker m) {
            Object raw = values.get(m);
            if (raw == null) {
                throw new InvalidRequestException("Invalid null value for IN restriction on " + column);
            }
            if (!(raw instanceof List<?> list)) {
                throw new InvalidRequestException("Invalid value for IN restriction on " + column + ": expected a list");
            }
            for (Object e : list) {
                Object v = TypeCoercion.coerce(type, e, column);
                if (v == null) {
                    throw new InvalidRequestException("Invalid null value in condition for column " + column);
                }
                out.add(v);
            }
            return out;
        }
        throw new InvalidRequestException("Invalid IN value for " + column + ": " + term.toCql());
    }

    /** The raw elements of a tuple (a literal tuple or a marker bound to a JSON list). */
    List<Term> tupleElements(Term term, int arity, String what) {
        if (term instanceof Term.TupleLiteral t) {
            if (t.elements().size() != arity) {
                throw new InvalidRequestException("Expected " + arity + " elements in value tuple, but got "
                        + t.elements().size() + ": " + term.toCql() + " for " + what);
            }
            return t.elements();
        }
        throw new InvalidRequestException("Expected a tuple of " + arity + " values for " + what + ", got " + term.toCql());
    }

    /** The raw JSON value of a marker (a multi-column value may be one marker bound to a JSON list). */
    Object raw(Term.BindMarker m) {
        return values.get(m);
    }

    /** The JSON of INSERT JSON: a string literal, or a marker bound to a JSON string or object. */
    Object bindJsonText(Term term) {
        if (term instanceof Literal lit && lit.kind() == LiteralKind.STRING) {
            return lit.value();
        }
        if (term instanceof Term.BindMarker m) {
            Object raw = values.get(m);
            if (raw instanceof String || raw instanceof Map<?, ?>) {
                return raw;
            }
            if (raw instanceof AsciiText ascii) {
                return ascii.toString();
            }
            throw new InvalidRequestException("Got null for INSERT JSON values");
        }
        throw new InvalidRequestException("INSERT JSON needs a string literal or a bind marker, got " + term.toCql());
    }

    /** A non-negative int such as LIMIT or TTL, with Cassandra's null message. */
    int bindInt(Term term, String what) {
        Object v = bind(term, IntType.INSTANCE, what);
        if (v == null) {
            throw new InvalidRequestException("Invalid null value of " + what);
        }
        return (Integer) v;
    }

    long bindLong(Term term, String what) {
        Object v = bind(term, BigintType.INSTANCE, what);
        if (v == null) {
            throw new InvalidRequestException("Invalid null value of " + what);
        }
        return (Long) v;
    }

    private Object element(Term e, CqlType elementType, String column) {
        Object v = bind(e, elementType, column);
        if (v == null) {
            throw new InvalidRequestException("null is not supported inside collections");
        }
        return v;
    }

    private static Object literal(Literal lit, CqlType type, String column) {
        if (lit.kind() == LiteralKind.NULL) {
            return null;
        }
        if (!kindFits(lit.kind(), type)) {
            throw new InvalidRequestException("Invalid " + lit.kind() + " constant (" + display(lit) + ") for \""
                    + column + "\" of type " + type.cqlName());
        }
        return TypeCoercion.coerce(type, lit.value(), column);
    }

    private static String display(Literal lit) {
        return lit.kind() == LiteralKind.STRING ? (String) lit.value() : lit.toCql();
    }

    /** Cassandra's Constants.Type assignment rules: which literal kinds a type accepts. */
    private static boolean kindFits(LiteralKind kind, CqlType type) {
        return switch (kind) {
            case STRING -> type instanceof TextType || type instanceof AsciiType || type instanceof InetType
                    || type instanceof TimestampType || type instanceof DateType || type instanceof TimeType;
            case INTEGER -> type instanceof TinyintType || type instanceof SmallintType || type instanceof IntType
                    || type instanceof BigintType || type instanceof VarintType || type instanceof DecimalType
                    || type instanceof DoubleType || type instanceof FloatType || type instanceof TimestampType
                    || type instanceof DateType || type instanceof TimeType;
            case FLOAT -> type instanceof FloatType || type instanceof DoubleType || type instanceof DecimalType;
            case BOOLEAN -> type instanceof BooleanType;
            case UUID -> type instanceof UuidType || type instanceof TimeuuidType;
            case HEX -> type instanceof BlobType;
            case NULL -> true;
        };
    }

    private static boolean assignable(CqlType from, CqlType to) {
        return from.cqlName().equals(to.cqlName()) || (from instanceof TimeuuidType && to instanceof UuidType);
    }

    // ------------------------------------------------------------------ functions

    private Typed call(Term.FunctionCall f) {
        String name = f.name().toLowerCase(Locale.ROOT);
        if (name.startsWith("system.")) {
            name = name.substring("system.".length());
        }
        List<Term> args = f.arguments();
        switch (name) {
            case "now", "currenttimeuuid" -> {
                arity(f, 0);
                return new Typed(TimeUUIDs.next(), TimeuuidType.INSTANCE);
            }
            case "uuid" -> {
                arity(f, 0);
                return new Typed(UUID.randomUUID(), UuidType.INSTANCE);
            }
            case "currenttimestamp" -> {
                arity(f, 0);
                return new Typed(Instant.ofEpochMilli(clock.nowMillis()), TimestampType.INSTANCE);
            }
            case "currentdate" -> {
                arity(f, 0);
                return new Typed(LocalDate.ofInstant(Instant.ofEpochMilli(clock.nowMillis()), ZoneOffset.UTC),
                        DateType.INSTANCE);
            }
            case "currenttime" -> {
                arity(f, 0);
                return new Typed(LocalTime.ofInstant(Instant.ofEpochMilli(clock.nowMillis()), ZoneOffset.UTC),
                        TimeType.INSTANCE);
            }
            case "totimestamp", "dateof" -> {
                arity(f, 1);
                Typed a = argument(args.get(0), TimeuuidType.INSTANCE);
                return new Typed(Instant.ofEpochMilli(millisOf(a, f)), TimestampType.INSTANCE);
            }
            case "tounixtimestamp", "unixtimestampof" -> {
                arity(f, 1);
                Typed a = argument(args.get(0), TimeuuidType.INSTANCE);
                return new Typed(millisOf(a, f), BigintType.INSTANCE);
            }
            case "todate" -> {
                arity(f, 1);
                Typed a = argument(args.get(0), TimeuuidType.INSTANCE);
                return new Typed(LocalDate.ofInstant(Instant.ofEpochMilli(millisOf(a, f)), ZoneOffset.UTC),
                        DateType.INSTANCE);
            }
            case "mintimeuuid", "maxtimeuuid" -> {
                arity(f, 1);
                Typed a = argument(args.get(0), TimestampType.INSTANCE);
                if (a.value == null) {
                    return new Typed(null, TimeuuidType.INSTANCE);
                }
                long ms = millisOf(a, f);
                return new Typed(name.equals("mintimeuuid") ? TimeUUIDs.minFor(ms) : TimeUUIDs.maxFor(ms),
                        TimeuuidType.INSTANCE);
            }
            default -> throw new InvalidRequestException("Unknown function " + f.name() + " called");
        }
    }

    private static void arity(Term.FunctionCall f, int n) {
        if (f.arguments().size() != n) {
            throw new InvalidRequestException("Invalid number of arguments in call to function system." + f.name()
                    + ": " + n + " required but " + f.arguments().size() + " provided");
        }
    }

    /** An argument: a nested call gives its own type; anything else is read as {@code defaultType}. */
    private Typed argument(Term arg, CqlType defaultType) {
        if (arg instanceof Term.FunctionCall inner) {
            return call(inner);
        }
        if (arg instanceof Literal lit && lit.kind() == LiteralKind.STRING && defaultType instanceof TimeuuidType) {
            return new Typed(bind(arg, TimestampType.INSTANCE, "argument"), TimestampType.INSTANCE);
        }
        return new Typed(bind(arg, defaultType, "argument"), defaultType);
    }

    private static long millisOf(Typed a, Term.FunctionCall f) {
        Object v = a.value;
        if (v instanceof UUID u) {
            if (u.version() != 1) {
                throw new InvalidRequestException("Function " + f.name() + " needs a timeuuid");
            }
            return TimeUUIDs.unixMillis(u);
        }
        if (v instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        throw new InvalidRequestException("Invalid argument for function " + f.name());
    }
}
