package io.sibyl.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns JSON into the "raw" values that {@code TypeCoercion} accepts. */
public final class JsonValues {
    private JsonValues() {}

    public static Object toRaw(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.bigIntegerValue();
        if (n.isNumber()) return n.decimalValue();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            for (JsonNode e : n) l.add(toRaw(e));
            return l;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), toRaw(e.getValue())));
            return m;
        }
        if (n.isBinary()) {
            try {
                return n.binaryValue();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return n.asText();
    }

    /** A short client-facing description of a JSON parse failure (no stack, no internals). */
    public static String describe(Exception e) {
        if (e instanceof JsonProcessingException j) {
            String m = j.getOriginalMessage();
            var loc = j.getLocation();
            return loc == null ? m : m + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) return "invalid UTF-8";
        return e.getMessage();
    }
}
