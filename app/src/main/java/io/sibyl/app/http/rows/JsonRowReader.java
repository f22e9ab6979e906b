package io.sibyl.app.http.rows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.sibyl.app.cql.exec.JsonRows;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.http.Json;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.TypeCoercion;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A REST row (one JSON object, column names exactly as in the schema) read with Jackson's streaming
 * parser straight into typed column values: what {@link JsonRows#parseObject} followed by a
 * column-by-column coercion would give, without building a tree of untyped maps first (the hot path of
 * {@code PUT .../rows} and {@code rows:bulk}).
 *
 * <p>Same answers as the two-step path: scalars are read as the node's mapper reads untyped JSON
 * (integers as BigInteger, decimals as BigDecimal), nested arrays and objects by the mapper itself;
 * a repeated name keeps its first position and its last value; the whole text is checked to be
 * valid JSON before any column is resolved or coerced, so bad JSON is always "Could not decode".
 *
 * <p>A flat row of plain ASCII strings, numbers and literals is read by {@link FlatJsonRow} straight from
 * its bytes; what it does not take is read here with Jackson.
 */
final class JsonRowReader {

    /** Nested values in the middle of a row: the row's own end is checked for trailing tokens, not theirs. */
    private static final ObjectReader NESTED = Json.MAPPER.readerFor(Object.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonRowReader() {
    }

    /** The row in {@code json[offset, offset + length)} as values by column, in the order the names appear. */
    static Map<ColumnMetadata, Object> read(TableMetadata table, byte[] json, int offset, int length) {
        Map<ColumnMetadata, Object> flat = FlatJsonRow.tryRead(table, json, offset, length);
        return flat != null ? flat : readGeneral(table, json, offset, length);
    }

    /** Any row, with Jackson: the path for what {@link FlatJsonRow} does not take, and for every error. */
    static Map<ColumnMetadata, Object> readGeneral(TableMetadata table, byte[] json, int offset, int length) {
        RowFields<String> fields = new RowFields<>();
        try (JsonParser p = Json.MAPPER.createParser(json, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidRequestException("Could not decode JSON string: No content to map due to end-of-input");
            }
            if (t != JsonToken.START_OBJECT) {
                // Not an object: the general path gives the same answer as before (bad JSON or "must be an object").
                JsonRows.parseObject(Arrays.copyOfRange(json, offset, offset + length));
                throw new InvalidRequestException("A row must be a JSON object");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fields.put(name, value(p, p.nextToken()));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new InvalidRequestException("Could not decode JSON string: Trailing token (of type " + trailing
                        + ") found after value (bound as `java.lang.Object`): not allowed as per"
                        + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Could not decode JSON string: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("Could not decode JSON string: " + e.getMessage());
        }
        Map<ColumnMetadata, Object> out = new LinkedHashMap<>(fields.size() * 2);
        for (int i = 0; i < fields.size(); i++) {
            ColumnMetadata c = table.column(fields.key(i));
            if (c == null) {
                throw new InvalidRequestException("Undefined column name " + fields.key(i));
            }
            out.put(c, TypeCoercion.coerce(c.type(), fields.value(i), c.name()));
        }
        return out;
    }

    /** The whole array. */
    static Map<ColumnMetadata, Object> read(TableMetadata table, byte[] json) {
        return read(table, json, 0, json.length);
    }

    /** The untyped value at {@code t}, as {@code Json.MAPPER.readValue(..., Object.class)} would give it. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                return NESTED.readValue(p);
        }
    }
}
