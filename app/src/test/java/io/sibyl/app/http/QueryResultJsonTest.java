package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.cql.QueryResult;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryResultJsonTest {

    /** The streamed answer equals what the data-binding mapper writes for the same answer as a map tree. */
    @Test
    void streamsWhatTheMapperWouldWrite() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("k", "key \"1\" \u00e9\u4e2d");
        row.put("n", 42L);
        row.put("i", 7);
        row.put("b", true);
        row.put("none", null);
        row.put("d", new BigDecimal("1.50"));
        row.put("v", new BigInteger("123456789012345678901234567890"));
        row.put("f", 1.25f);
        row.put("x", 0.1d);
        row.put("list", List.of(1L, "two", 3.5d));
        row.put("map", Map.of("a", List.of()));
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row);
        rows.add(Map.of("k", "second"));
        for (String paging : new String[]{null, "AAEC"}) {
            QueryResult r = new QueryResult(List.of(new QueryResult.ResultColumn("k", "text"),
                    new QueryResult.ResultColumn("n", "bigint")), rows, paging, null, List.of("careful"));
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("columns", r.columns());
            tree.put("rows", r.rows());
            tree.put("paging_state", r.pagingState());
            tree.put("warnings", r.warnings());
            JsonNode expected = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(tree));
            byte[] streamed = QueryResultJson.write(r);
            assertEquals(expected, Json.MAPPER.readTree(streamed));
            // field order of the answer and of each row is kept
            String text = new String(streamed, java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(List.of("columns", "rows", "paging_state", "warnings"), fieldNames(Json.MAPPER.readTree(streamed)));
            assertEquals(new ArrayList<>(row.keySet()), fieldNames(Json.MAPPER.readTree(streamed).get("rows").get(0)),
                    text);
        }
    }

    @Test
    void emptyResult() throws Exception {
        JsonNode n = Json.MAPPER.readTree(QueryResultJson.write(QueryResult.empty()));
        assertEquals("{\"columns\":[],\"rows\":[],\"paging_state\":null,\"warnings\":[]}", n.toString());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
