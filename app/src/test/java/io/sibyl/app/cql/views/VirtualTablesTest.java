package io.sibyl.app.cql.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.QueryResult.ResultColumn;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class VirtualTablesTest {

    private final VirtualTables views = new VirtualTables().add(new VirtualTable("pools",
            List.of(new ResultColumn("name", "text"), new ResultColumn("pending", "int")),
            () -> CompletableFuture.completedFuture(List.of(
                    Map.of("name", "a", "pending", 1), Map.of("name", "b", "pending", 2), Map.of("name", "c", "pending", 2)))));

    private QueryResult run(String cql) throws Exception {
        return views.select((Select) CqlParser.parse(cql)).toCompletableFuture().get();
    }

    private Throwable failure(String cql) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(cql));
        return e.getCause();
    }

    @Test
    void wildcardNamedColumnsRestrictionsAndLimit() throws Exception {
        QueryResult all = run("SELECT * FROM system_views.pools");
        assertEquals(List.of("name", "pending"), all.columns().stream().map(ResultColumn::name).toList());
        assertEquals(3, all.rows().size());
        QueryResult two = run("SELECT pending, name FROM system_views.pools WHERE pending = 2");
        assertEquals(List.of("pending", "name"), two.columns().stream().map(ResultColumn::name).toList());
        assertEquals(List.of("b", "c"), two.rows().stream().map(r -> r.get("name")).toList());
        assertEquals(List.of("a", "c"), run("SELECT name FROM system_views.pools WHERE name IN ('a', 'c', 'z')")
                .rows().stream().map(r -> r.get("name")).toList());
        assertEquals(1, run("SELECT * FROM system_views.pools LIMIT 1").rows().size());
    }

    @Test
    void badQueriesAreInvalidNotServerErrors() {
        assertInstanceOf(InvalidRequestException.class, failure("SELECT * FROM system_views.nope"));
        assertInstanceOf(InvalidRequestException.class, failure("SELECT nope FROM system_views.pools"));
        assertInstanceOf(InvalidRequestException.class, failure("SELECT * FROM system_views.pools WHERE nope = 1"));
        assertInstanceOf(InvalidRequestException.class, failure("SELECT * FROM system_views.pools WHERE pending > 1"));
        assertInstanceOf(InvalidRequestException.class, failure("SELECT count(*) FROM system_views.pools"));
    }

    @Test
    void cachesShowTheKeyCache() throws Exception {
        VirtualTables v = new VirtualTables().add(NodeViews.caches(
                () -> new io.sibyl.storage.sstable.KeyCache.Stats(1 << 20, 4096, 20, 30, 40),
                () -> new io.sibyl.storage.sstable.KeyCache.Stats(0, 0, 0, 0, 0)));
        assertEquals(List.of("chunks", "keys"), v.select((Select) CqlParser.parse("SELECT name FROM system_views.caches"))
                .toCompletableFuture().get().rows().stream().map(r -> r.get("name")).toList());
        QueryResult r = v.select((Select) CqlParser.parse("SELECT * FROM system_views.caches WHERE name = 'keys'"))
                .toCompletableFuture().get();
        assertEquals(List.of("name", "capacity_bytes", "entry_count", "hit_count", "hit_ratio", "request_count", "size_bytes"),
                r.columns().stream().map(ResultColumn::name).toList());
        Map<String, Object> row = r.rows().get(0);
        assertEquals(1L << 20, row.get("capacity_bytes"));
        assertEquals(20, row.get("entry_count"));
        assertEquals(30L, row.get("hit_count"));
        assertEquals(70L, row.get("request_count"));
        assertEquals(30.0 / 70, (Double) row.get("hit_ratio"), 1e-9);
        assertEquals(4096L, row.get("size_bytes"));
    }

    @Test
    void settingsHideSecrets() throws Exception {
        VirtualTable settings = NodeViews.settings(ConfigFactory.parseString(
                "sibyl.cluster.num_tokens = 16\nsibyl.tls.keystore_password = hunter2\nsibyl.auth.initial_password = x"));
        List<Map<String, Object>> rows = settings.rows().get().toCompletableFuture().get();
        assertTrue(rows.contains(Map.of("name", "cluster.num_tokens", "value", "16")), rows.toString());
        assertTrue(rows.contains(Map.of("name", "tls.keystore_password", "value", "<hidden>")), rows.toString());
        assertFalse(rows.toString().contains("hunter2"), rows.toString());
    }
}
