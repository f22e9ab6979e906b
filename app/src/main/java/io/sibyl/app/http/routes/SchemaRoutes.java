package io.sibyl.app.http.routes;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.schema.CqlDescriber;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The schema endpoints: {@code GET /v1/keyspaces[/{ks}[/tables/{t}]]}, each with the CQL that recreates it. */
public final class SchemaRoutes {
    private final SchemaStore schema;

    public SchemaRoutes(SchemaStore schema) {
        this.schema = schema;
    }

    public void register(HttpApi api) {
        api.get("/v1/keyspaces", r -> {
            List<Object> list = new ArrayList<>();
            for (KeyspaceMetadata ks : schema.current().keyspaces().values()) list.add(keyspace(ks));
            return Responses.doneOk(Map.of("keyspaces", list, "schema_version", schema.current().version().toString()));
        });
        api.get("/v1/keyspaces/{}", r -> Responses.doneOk(keyspace(keyspaceOr404(r.pathParam(0)))));
        api.get("/v1/keyspaces/{}/tables", r -> {
            KeyspaceMetadata ks = keyspaceOr404(r.pathParam(0));
            List<Object> list = new ArrayList<>();
            for (TableMetadata t : ks.tables().values()) list.add(table(t));
            return Responses.doneOk(Map.of("tables", list));
        });
        api.get("/v1/keyspaces/{}/tables/{}", r -> Responses.doneOk(table(tableOr404(r.pathParam(0), r.pathParam(1)))));
    }

    private KeyspaceMetadata keyspaceOr404(String name) {
        KeyspaceMetadata ks = schema.current().keyspace(name);
        if (ks == null) throw new NotFoundException("keyspace '" + name + "' does not exist");
        return ks;
    }

    public TableMetadata tableOr404(String keyspace, String table) {
        TableMetadata t = keyspaceOr404(keyspace).table(table);
        if (t == null) throw new NotFoundException("table '" + keyspace + "." + table + "' does not exist");
        return t;
    }

    private static Map<String, Object> keyspace(KeyspaceMetadata ks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ks.name());
        m.put("replication", ks.replication());
        m.put("durable_writes", ks.durableWrites());
        m.put("tables", new ArrayList<>(ks.tables().keySet()));
        m.put("cql", CqlDescriber.keyspace(ks));
        return m;
    }

    private static Map<String, Object> table(TableMetadata t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyspace", t.keyspace());
        m.put("name", t.name());
        m.put("id", t.id().toString());
        List<Object> cols = new ArrayList<>();
        for (ColumnMetadata c : t.columns()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("type", c.type().cqlName());
            cm.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (c.kind() == io.sibyl.storage.schema.ColumnKind.CLUSTERING) cm.put("order", c.reversed() ? "DESC" : "ASC");
            cols.add(cm);
        }
        m.put("columns", cols);
        m.put("partition_key", t.partitionKeyColumns().stream().map(ColumnMetadata::name).toList());
        m.put("clustering", t.clusteringColumns().stream().map(ColumnMetadata::name).toList());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("default_time_to_live", t.params().defaultTimeToLive());
        opts.put("gc_grace_seconds", t.params().gcGraceSeconds());
        opts.put("compaction", t.params().compaction());
        opts.put("comment", t.params().comment());
        opts.put("speculative_retry", t.params().speculativeRetry().toString());
        m.put("options", opts);
        m.put("cql", CqlDescriber.table(t));
        return m;
    }
}
