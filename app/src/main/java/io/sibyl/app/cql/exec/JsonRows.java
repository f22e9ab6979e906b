package io.sibyl.app.cql.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.http.Json;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.TypeCoercion;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A row given as a JSON object to INSERT JSON: parsed, columns resolved, values coerced. The REST routes read
 * their rows with {@code io.sibyl.app.http.rows.JsonRowReader} instead, which shares {@link #parseObject}'s
 * errors.
 */
public final class JsonRows {

    private JsonRows() {
    }

    /** INSERT JSON: the text (or an already parsed object) of one row; keys are case-folded unless quoted. */
    static Map<ColumnMetadata, Object> parseInsertJson(TableMetadata table, Object json) {
        Map<?, ?> raw;
        if (json instanceof Map<?, ?> m) {
            raw = m;
        } else if (json instanceof String s) {
            raw = parseObject(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            throw new InvalidRequestException("INSERT JSON needs a JSON object as a string");
        }
        Map<ColumnMetadata, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String key = String.valueOf(e.getKey());
            String name = key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")
                    ? key.substring(1, key.length() - 1) : key.toLowerCase(Locale.ROOT);
            ColumnMetadata c = table.column(name);
            if (c == null) {
                throw new InvalidRequestException("JSON values map contains unrecognized column: " + key);
            }
            out.put(c, TypeCoercion.coerce(c.type(), e.getValue(), c.name()));
        }
        return out;
    }

    /** One JSON object; anything else (an array, a number, bad JSON) is INVALID. */
    public static Map<?, ?> parseObject(byte[] json) {
        Object parsed;
        try {
            parsed = Json.MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Could not decode JSON string: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("Could not decode JSON string: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidRequestException("A row must be a JSON object");
        }
        return map;
    }
}
