package io.sibyl.app.http.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.LocalSchemaStore;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Json;
import io.sibyl.app.testing.OneNodeRing;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.types.CqlTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST row routes, driven through {@link HttpApi} with constructed requests (no socket). */
class RowRoutesTest {

    static ActorSystem system;
    static Materializer mat;

    @TempDir
    Path dir;
    HttpApi api;
    QueryProcessor cql;

    @BeforeAll
    static void startSystem() {
        system = ActorSystem.create("rows-test");
        mat = Materializer.matFromSystem(system);
    }

    @AfterAll
    static void stopSystem() {
        system.terminate();
    }

    @BeforeEach
    void setUp() {
        LocalSchemaStore schema = LocalSchemaStore.open(dir);
        StorageEngine engine = TestEngine.inTempDir();
        schema.addListener(s -> s.keyspaces().values().forEach(ks -> ks.tables().values().forEach(engine::createTable)));
        Coordinator coordinator = OneNodeRing.coordinator(Adapter.toTyped(system), schema, new LocalReplica(engine));
        CqlContext context = new CqlContext(schema, coordinator, new MicrosClock(), 1000, 5000);
        cql = new QueryProcessor(context, 100);
        TableMetadata readings = new TableMetadata("iot", "readings", UUID.randomUUID(), List.of(
                ColumnMetadata.partitionKey("device_id", CqlTypes.parse("text"), 0),
                ColumnMetadata.clustering("ts", CqlTypes.parse("timestamp"), 0, true),
                ColumnMetadata.regular("value", CqlTypes.parse("double"))), TableParams.DEFAULT);
        TableMetadata users = new TableMetadata("iot", "users", UUID.randomUUID(), List.of(
                ColumnMetadata.partitionKey("id", CqlTypes.parse("int"), 0),
                ColumnMetadata.partitionKey("region", CqlTypes.parse("text"), 1),
                ColumnMetadata.regular("name", CqlTypes.parse("text")),
                ColumnMetadata.regular("tags", CqlTypes.parse("set<text>"))), TableParams.DEFAULT);
        schema.update(s -> s.with(new KeyspaceMetadata("iot", Map.of("class", "SimpleStrategy",
                "replication_factor", "1"), true, Map.of("readings", readings, "users", users))))
                .toCompletableFuture().join();
        api = new HttpApi(mat, 10_000);
        new RowRoutes(schema, cql.modifications(), cql.selects(), ConsistencyLevel.ONE, 4).register(api);
    }

    record Answer(int status, JsonNode body) {}

    Answer call(HttpRequest request) throws Exception {
        HttpResponse response = api.apply(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
        byte[] bytes = response.entity().toStrict(5000, mat).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .getData().toArray();
        return new Answer(response.status().intValue(), Json.MAPPER.readTree(bytes));
    }

    Answer put(String uri, String body) throws Exception {
        return call(HttpRequest.create(uri).withMethod(HttpMethods.PUT)
                .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8)));
    }

    Answer get(String uri) throws Exception {
        return call(HttpRequest.create(uri));
    }

    List<Map<String, Object>> cqlRows(String query) {
        QueryResult r = cql.execute(QueryRequest.of(query, ConsistencyLevel.ONE)).toCompletableFuture().join();
        return r.rows();
    }

    @Test
    void putThenGetAPartition() throws Exception {
        Answer a = put("/v1/keyspaces/iot/tables/readings/rows", "{\"device_id\":\"s-1\",\"ts\":1000,\"value\":2.5}");
        assertEquals(200, a.status());
        assertEquals("{}", a.body().toString());
        put("/v1/keyspaces/iot/tables/readings/rows?consistency=ONE&ttl=100",
                "{\"device_id\":\"s-1\",\"ts\":\"1970-01-01T00:00:02Z\",\"value\":3}");
        Answer g = get("/v1/keyspaces/iot/tables/readings/rows/s-1?limit=5");
        assertEquals(200, g.status());
        assertEquals(2, g.body().get("rows").size());
        assertEquals("1970-01-01T00:00:02.000Z", g.body().get("rows").get(0).get("ts").asText(), "DESC clustering");
        assertEquals(3.0, g.body().get("rows").get(0).get("value").asDouble());
        assertTrue(g.body().get("paging_state").isNull());
        assertEquals("device_id", g.body().get("columns").get(0).get("name").asText());
        int ttl = (Integer) cqlRows("SELECT ttl(value) FROM iot.readings WHERE device_id = 's-1' AND ts = 2000")
                .get(0).get("ttl(value)");
        assertTrue(ttl >= 98 && ttl <= 100, "ttl " + ttl + " (real clock)");
    }

    @Test
    void getPagesAndMissingThings() throws Exception {
        for (int i = 0; i < 7; i++) {
            put("/v1/keyspaces/iot/tables/readings/rows", "{\"device_id\":\"d\",\"ts\":" + i + ",\"value\":" + i + "}");
        }
        List<Double> seen = new ArrayList<>();
        String state = null;
        do {
            Answer g = get("/v1/keyspaces/iot/tables/readings/rows/d?page_size=3"
                    + (state == null ? "" : "&paging_state=" + state));
            g.body().get("rows").forEach(r -> seen.add(r.get("value").asDouble()));
            state = g.body().get("paging_state").isNull() ? null : g.body().get("paging_state").asText();
        } while (state != null);
        assertEquals(List.of(6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0), seen);
        assertEquals(0, get("/v1/keyspaces/iot/tables/readings/rows/nobody").body().get("rows").size());
        Answer noTable = get("/v1/keyspaces/iot/tables/nope/rows/x");
        assertEquals(404, noTable.status());
        assertEquals("NOT_FOUND", noTable.body().get("error").get("code").asText());
        assertEquals(404, get("/v1/keyspaces/nope/tables/readings/rows/x").status());
        Answer one = get("/v1/keyspaces/iot/tables/readings/rows/d/1970-01-01T00:00:00.003Z");
        assertEquals(1, one.body().get("rows").size(), "clustering values narrow to one row");
        assertEquals(400, get("/v1/keyspaces/iot/tables/users/rows/1").status(), "partition key part missing");
    }

    @Test
    void putErrors() throws Exception {
        Answer missingKey = put("/v1/keyspaces/iot/tables/users/rows", "{\"id\": 1, \"name\": \"x\"}");
        assertEquals(400, missingKey.status());
        assertEquals("Some partition key parts are missing: region", missingKey.body().get("error").get("message").asText());
        Answer badType = put("/v1/keyspaces/iot/tables/users/rows", "{\"id\": \"one\", \"region\": \"eu\"}");
        assertEquals("INVALID", badType.body().get("error").get("code").asText());
        Answer unknown = put("/v1/keyspaces/iot/tables/users/rows", "{\"id\": 1, \"region\": \"eu\", \"zz\": 1}");
        assertEquals("Undefined column name zz", unknown.body().get("error").get("message").asText());
        Answer notJson = put("/v1/keyspaces/iot/tables/users/rows", "{nope");
        assertEquals(400, notJson.status());
        Answer tooBig = put("/v1/keyspaces/iot/tables/users/rows",
                "{\"id\": 1, \"region\": \"eu\", \"name\": \"" + "x".repeat(2000) + "\"}");
        assertEquals(413, tooBig.status(), "value over max_value_bytes");
        assertEquals("PAYLOAD_TOO_LARGE", tooBig.body().get("error").get("code").asText());
        Answer badCl = put("/v1/keyspaces/iot/tables/users/rows?consistency=SOMETIMES", "{\"id\": 1, \"region\": \"eu\"}");
        assertEquals(400, badCl.status());
        Answer unavailable = put("/v1/keyspaces/iot/tables/users/rows?consistency=TWO", "{\"id\": 1, \"region\": \"eu\"}");
        assertEquals(503, unavailable.status());
        assertEquals("UNAVAILABLE", unavailable.body().get("error").get("code").asText());
        assertEquals(2, unavailable.body().get("error").get("required").asInt());
        assertEquals(1, unavailable.body().get("error").get("alive").asInt());
        assertTrue(cqlRows("SELECT * FROM iot.users").isEmpty(), "nothing written by rejected requests");
    }

    @Test
    void putWritesOnlyTheNamedColumns() throws Exception {
        put("/v1/keyspaces/iot/tables/users/rows", "{\"id\": 1, \"region\": \"eu\", \"name\": \"ann\", \"tags\": [\"a\"]}");
        put("/v1/keyspaces/iot/tables/users/rows", "{\"id\": 1, \"region\": \"eu\", \"tags\": [\"b\", \"c\"]}");
        assertEquals(List.of(Map.of("id", 1, "region", "eu", "name", "ann", "tags", List.of("b", "c"))),
                cqlRows("SELECT * FROM iot.users"));
    }

    @Test
    void deletePartitionAndRow() throws Exception {
        for (int i = 0; i < 3; i++) {
            put("/v1/keyspaces/iot/tables/readings/rows", "{\"device_id\":\"d\",\"ts\":" + i + ",\"value\":1}");
        }
        Answer del = call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows/d/1").withMethod(HttpMethods.DELETE));
        assertEquals(200, del.status());
        assertEquals(2, get("/v1/keyspaces/iot/tables/readings/rows/d").body().get("rows").size());
        call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows/d").withMethod(HttpMethods.DELETE));
        assertEquals(0, get("/v1/keyspaces/iot/tables/readings/rows/d").body().get("rows").size());
    }

    @Test
    void bulkStreamsLinesAndReportsLineErrors() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            if (i == 10) {
                body.append("{\"device_id\":\"b\",\"ts\":\"not a time\",\"value\":1}\n");
            } else if (i == 20) {
                body.append("not json\n");
            } else if (i == 30) {
                body.append("\n"); // blank lines are skipped
            } else {
                body.append("{\"device_id\":\"b").append(i % 3).append("\",\"ts\":").append(i).append(",\"value\":1}\n");
            }
        }
        body.append("{\"device_id\":\"last\",\"ts\":1,\"value\":1}"); // no trailing newline
        // Chunked, so the route sees a stream rather than a strict body.
        List<ByteString> chunks = new ArrayList<>();
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 777) {
            chunks.add(ByteString.fromArray(bytes, i, Math.min(777, bytes.length - i)));
        }
        Answer a = call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows:bulk?consistency=ONE")
                .withMethod(HttpMethods.POST)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Source.from(chunks))));
        assertEquals(200, a.status());
        assertEquals(298, a.body().get("written").asInt());
        assertEquals(2, a.body().get("failed").asInt());
        assertEquals(11, a.body().get("errors").get(0).get("line").asInt());
        assertEquals("INVALID", a.body().get("errors").get(0).get("error").get("code").asText());
        assertEquals(21, a.body().get("errors").get(1).get("line").asInt());
        assertEquals(1, cqlRows("SELECT * FROM iot.readings WHERE device_id = 'last'").size());
        assertEquals(List.of(Map.of("count", 99L)),
                cqlRows("SELECT count(*) FROM iot.readings WHERE device_id = 'b1'"));
    }

    @Test
    void bulkGivesTheSameAnswerForAWholeADeclaredAndAStreamedBody() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append(i % 50 == 7 ? "{\"device_id\":\"w\",\"nope\":1}\n" : i % 50 == 9 ? "\r\n"
                    : "{\"device_id\":\"w\",\"ts\":" + i + ",\"value\":" + i + "}\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        List<ByteString> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 100) {
            chunks.add(ByteString.fromArray(bytes, i, Math.min(100, bytes.length - i)));
        }
        List<RequestEntity> entities = List.of(
                HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes),
                HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes.length, Source.from(chunks)),
                HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, Source.from(chunks)));
        String first = null;
        for (RequestEntity entity : entities) {
            Answer a = call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows:bulk")
                    .withMethod(HttpMethods.POST).withEntity(entity));
            assertEquals(200, a.status(), entity.getClass().getSimpleName());
            assertEquals(192, a.body().get("written").asInt());
            assertEquals(4, a.body().get("failed").asInt());
            assertEquals(List.of(8, 58, 108, 158), lines(a.body().get("errors")));
            assertEquals("Undefined column name nope",
                    a.body().get("errors").get(0).get("error").get("message").asText());
            first = first == null ? a.body().toString() : first;
            assertEquals(first, a.body().toString());
        }
        assertEquals(List.of(Map.of("count", 192L)),
                cqlRows("SELECT count(*) FROM iot.readings WHERE device_id = 'w'"));
    }

    static List<Integer> lines(JsonNode errors) {
        List<Integer> out = new ArrayList<>();
        errors.forEach(e -> out.add(e.get("line").asInt()));
        return out;
    }

    @Test
    void bulkKeepsTheFirstHundredErrors() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            body.append("{\"device_id\":\"x\"}\n");
        }
        Answer a = call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows:bulk").withMethod(HttpMethods.POST)
                .withEntity(ContentTypes.APPLICATION_JSON, body.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, a.body().get("written").asInt());
        assertEquals(150, a.body().get("failed").asInt());
        assertEquals(100, a.body().get("errors").size());
        assertEquals(1, a.body().get("errors").get(0).get("line").asInt());
        assertEquals(100, a.body().get("errors").get(99).get("line").asInt());
        assertEquals("Some clustering keys are missing: ts",
                a.body().get("errors").get(0).get("error").get("message").asText());
    }

    @Test
    void bulkLineOverTheLimitIs413() throws Exception {
        String huge = "{\"device_id\":\"" + "x".repeat(20_000) + "\",\"ts\":1,\"value\":1}\n";
        Answer a = call(HttpRequest.create("/v1/keyspaces/iot/tables/readings/rows:bulk").withMethod(HttpMethods.POST)
                .withEntity(ContentTypes.APPLICATION_JSON, huge.getBytes(StandardCharsets.UTF_8)));
        assertEquals(413, a.status());
        assertNull(a.body().get("written"));
    }
}
