package io.sibyl.app.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.sibyl.app.cql.QueryResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a {@link QueryResult} in API.md's answer shape ({@code columns}, {@code rows}, {@code paging_state},
 * {@code warnings}) straight to JSON bytes with Jackson's streaming generator. The point-read route answers
 * with this on every request: serializing an intermediate map tree through the data-binding layer looked up
 * a serializer per value and was ~7% of a read's CPU. Values other than strings, integers, booleans and
 * nulls (decimals, floats, collections, ...) go through {@link Json#MAPPER}, so every value renders exactly
 * as the mapper renders it.
 */
public final class QueryResultJson {
    private QueryResultJson() {}

    public static byte[] write(QueryResult r) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(2048)) {
            try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeFieldName("columns");
                g.writeStartArray();
                for (QueryResult.ResultColumn c : r.columns()) {
                    g.writeStartObject();
                    g.writeStringField("name", c.name());
                    g.writeStringField("type", c.type());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeFieldName("rows");
                g.writeStartArray();
                for (Map<String, Object> row : r.rows()) {
                    g.writeStartObject();
                    for (Map.Entry<String, Object> e : row.entrySet()) {
                        g.writeFieldName(e.getKey());
                        writeValue(g, e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeFieldName("paging_state");
                writeValue(g, r.pagingState());
                g.writeFieldName("warnings");
                g.writeStartArray();
                for (String w : r.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a query result", e);
        }
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            Json.MAPPER.writeValue(g, v);
        }
    }
}
