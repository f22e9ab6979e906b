package io.sibyl.storage.types;

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

/** Renders Java values as plain JSON-ready objects, as Cassandra's {@code SELECT JSON} would show them. */
final class JsonValues {

    private JsonValues() {
    }

    static Object render(CqlType type, Object value) {
        if (value == null) {
            return null;
        }
        if (type instanceof ListType) {
            return renderAll(((ListType) type).elementType(), (Collection<?>) value);
        } else if (type instanceof SetType) {
            SetType setType = (SetType) type;
            // Render in the element type's order, whatever Set class the caller holds.
            return renderAll(setType.elementType(), setType.valueOf((Collection<?>) value));
        } else if (type instanceof MapType) {
            MapType mapType = (MapType) type;
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : mapType.valueOf((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(render(mapType.keyType(), e.getKey())), render(mapType.valueType(), e.getValue()));
            }
            return out;
        } else if (value instanceof Instant) {
            return TemporalLiterals.formatTimestamp((Instant) value);
        } else if (value instanceof LocalTime) {
            return TemporalLiterals.formatTime((LocalTime) value);
        } else if (value instanceof LocalDate || value instanceof UUID) {
            return value.toString();
        } else if (value instanceof InetAddress) {
            return ((InetAddress) value).getHostAddress();
        } else if (value instanceof byte[]) {
            return "0x" + Hex.encode((byte[]) value);
        } else if (value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        throw new IllegalArgumentException("Not a value of type " + type.cqlName() + ": " + value.getClass().getName());
    }

    private static List<Object> renderAll(CqlType elementType, Collection<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(render(elementType, v));
        }
        return out;
    }

}
