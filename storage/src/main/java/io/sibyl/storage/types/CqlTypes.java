package io.sibyl.storage.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The CQL types by name, and the parser of CQL type text ({@code map<text, frozen<list<int>>>}). */
public final class CqlTypes {

    private static final Map<String, NativeType> NATIVE = nativeTypes();

    private CqlTypes() {
    }

    /**
     * Parses CQL type text, case-insensitive and whitespace tolerant; {@code varchar} is {@code text}.
     *
     * @throws IllegalArgumentException for an unknown type or malformed text, naming the problem
     */
    public static CqlType parse(String text) {
        return new CqlTypeParser(text).parseWhole();
    }

    /** The native (non-collection) type of that name, or null; {@code varchar} gives {@code text}. */
    public static NativeType nativeType(String name) {
        return NATIVE.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every native type by its CQL name (without the {@code varchar} alias), in a stable order. */
    public static Map<String, NativeType> all() {
        Map<String, NativeType> out = new LinkedHashMap<>(NATIVE);
        out.remove("varchar");
        return Collections.unmodifiableMap(out);
    }

    public static ListType list(CqlType element) {
        return new ListType(element, false);
    }

    public static SetType set(CqlType element) {
        return new SetType(element, false);
    }

    public static MapType map(CqlType key, CqlType value) {
        return new MapType(key, value, false);
    }

    private static Map<String, NativeType> nativeTypes() {
        Map<String, NativeType> m = new LinkedHashMap<>();
        for (NativeType t : new NativeType[] {
                AsciiType.INSTANCE, TextType.INSTANCE, BooleanType.INSTANCE, TinyintType.INSTANCE,
                SmallintType.INSTANCE, IntType.INSTANCE, BigintType.INSTANCE, VarintType.INSTANCE,
                FloatType.INSTANCE, DoubleType.INSTANCE, DecimalType.INSTANCE, TimestampType.INSTANCE,
                DateType.INSTANCE, TimeType.INSTANCE, UuidType.INSTANCE, TimeuuidType.INSTANCE,
                InetType.INSTANCE, BlobType.INSTANCE}) {
            m.put(t.cqlName(), t);
        }
        m.put("varchar", TextType.INSTANCE);
        return Collections.unmodifiableMap(m);
    }
}
