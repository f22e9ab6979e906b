package io.sibyl.app.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.sibyl.app.cql.QueryResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a {@link QueryResult} in docs/api.md's answer shape ({@code columns}, {@code rows}, {@code paging_state},
 * {@code warnings}) straight to JSON bytes with Jackson's streaming generator. The point-read route answers
 * with this on every request: serializing an intermediate map tree through the data-binding layer looked up
 * a serializer per value and was ~7% of a read's CPU. Values other than strings, integers, booleans and
 * nulls (decimals, floats, collections, ...) go through {@link Json#MAPPER}, so every value renders exactly
 * as the mapper renders it.
 */
public final class QueryResultJson {
    private QueryResultJson() {}

    /**
     * A column list pre-rendered: the {@code columns} array and each column's name as a field name, both
     * already UTF-8 encoded. A table's wildcard selection hands out the same list on every read.
     */
    private record Prepared(SerializedString columnsJson, SerializedString[] names) {}

    /** Column lists seen (one per table schema in practice); emptied if it ever grows past the cap. */
    private static final ConcurrentHashMap<List<QueryResult.ResultColumn>, Prepared> PREPARED = new ConcurrentHashMap<>();
    private static final int MAX_PREPARED = 1024;

    private static Prepared prepared(List<QueryResult.ResultColumn> columns) throws IOException {
        Prepared p = PREPARED.get(columns);
        if (p != null) {
            return p;
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.createGenerator(w)) {
            g.writeStartArray();
            for (QueryResult.ResultColumn c : columns) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("type", c.type());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        SerializedString[] names = new SerializedString[columns.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new SerializedString(columns.get(i).name());
        }
        p = new Prepared(new SerializedString(w.toString()), names);
        if (PREPARED.size() >= MAX_PREPARED) {
            PREPARED.clear();
        }
        PREPARED.put(List.copyOf(columns), p);
        return p;
    }

    public static byte[] write(QueryResult r) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(2048)) {
            try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
                g.writeStartObject();
                Prepared p = prepared(r.columns());
                g.writeFieldName("columns");
                g.writeRawValue(p.columnsJson());
                g.writeFieldName("rows");
                g.writeStartArray();
                SerializedString[] names = p.names();
                for (Map<String, Object> row : r.rows()) {
                    g.writeStartObject();
                    int i = 0;
                    for (Map.Entry<String, Object> e : row.entrySet()) {
                        // rows of a selection hold its columns in order; anything else is written by name
                        if (i < names.length && names[i].getValue().equals(e.getKey())) {
                            g.writeFieldName(names[i]);
                        } else {
                            g.writeFieldName(e.getKey());
                        }
                        i++;
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
