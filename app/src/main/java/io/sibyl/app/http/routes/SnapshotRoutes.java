package io.sibyl.app.http.routes;

import io.sibyl.actors.schema.Schema;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.snapshot.Snapshot;
import io.sibyl.storage.snapshot.SnapshotDirectory;
import io.sibyl.storage.sstable.SSTableReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Snapshots and what restores them (docs/api.md, docs/operations.md): {@code POST /v1/admin/snapshot?tag=
 * [&keyspace=&table=]}, {@code GET /v1/admin/snapshots}, {@code DELETE /v1/admin/snapshot[/{tag}][?tag=&keyspace=
 * &all=true]}, {@code POST /v1/admin/refresh?keyspace=&table=} and {@code POST /v1/admin/drain}.
 */
public final class SnapshotRoutes {
    private final StorageEngine engine;
    private final Supplier<Schema> schema;
    private final Executor blocking;

    public SnapshotRoutes(StorageEngine engine, Supplier<Schema> schema, Executor blocking) {
        this.engine = engine;
        this.schema = schema;
        this.blocking = blocking;
    }

    public void register(HttpApi api) {
        api.post("/v1/admin/snapshot", r -> {
            r.timeout().useAdminTimeout();
            String tag = r.query("tag").orElse(Long.toString(System.currentTimeMillis()));
            String ks = r.query("keyspace").orElse(null);
            String table = r.query("table").orElse(null);
            validTag(tag);
            requireExists(ks, table);
            return engine.snapshot(tag, ks, table).thenApply(list -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tag", tag);
                body.put("snapshots", list.stream().map(SnapshotRoutes::json).toList());
                return Responses.ok(body);
            });
        });
        api.get("/v1/admin/snapshots", r -> CompletableFuture.supplyAsync(() ->
                Responses.ok(Map.of("snapshots", engine.listSnapshots().stream().map(SnapshotRoutes::json).toList())), blocking));
        api.delete("/v1/admin/snapshot/{}", r -> clear(r.pathParam(0), r.query("keyspace").orElse(null)));
        api.delete("/v1/admin/snapshot", r -> {
            String tag = r.query("tag").orElse(null);
            boolean all = r.query("all").map(Boolean::parseBoolean).orElse(false);
            if (tag == null && !all) {
                throw new InvalidRequestException("give the snapshot to clear as 'tag', or all=true to clear every snapshot");
            }
            return clear(tag, r.query("keyspace").orElse(null));
        });
        api.post("/v1/admin/refresh", r -> {
            r.timeout().useAdminTimeout();
            String ks = r.query("keyspace").orElseThrow(() -> new InvalidRequestException("refresh needs 'keyspace' and 'table'"));
            String table = r.query("table").orElseThrow(() -> new InvalidRequestException("refresh needs 'keyspace' and 'table'"));
            TableMetadata md = requireExists(ks, table);
            return CompletableFuture.supplyAsync(() -> {
                List<SSTableReader> loaded = engine.refresh(md.id());
                List<String> names = new ArrayList<>();
                for (SSTableReader s : loaded) {
                    names.add(s.descriptor().toString());
                }
                return Responses.ok(Map.of("loaded", loaded.size(), "sstables", names));
            }, blocking);
        });
        api.post("/v1/admin/drain", r -> {
            r.timeout().useAdminTimeout();
            return engine.drain().thenApply(v -> Responses.ok(Map.of("drained", true)));
        });
    }

    private java.util.concurrent.CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> clear(String tag, String ks) {
        if (tag != null) {
            validTag(tag);
        }
        return CompletableFuture.supplyAsync(() -> {
            int n = engine.clearSnapshot(tag, ks);
            if (n == 0 && tag != null) {
                throw new NotFoundException("no snapshot " + tag + (ks == null ? "" : " of keyspace " + ks));
            }
            return Responses.ok(Map.of("cleared", n));
        }, blocking);
    }

    private static void validTag(String tag) {
        try {
            SnapshotDirectory.validateTag(tag);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** 404 for a keyspace or table that does not exist; a table needs its keyspace. */
    private TableMetadata requireExists(String keyspace, String table) {
        if (table != null && keyspace == null) {
            throw new InvalidRequestException("query parameter 'table' needs 'keyspace'");
        }
        Schema s = schema.get();
        if (keyspace != null && s.keyspace(keyspace) == null) {
            throw new NotFoundException("keyspace " + keyspace + " does not exist");
        }
        if (table != null) {
            TableMetadata md = s.table(keyspace, table);
            if (md == null) {
                throw new NotFoundException("table " + keyspace + "." + table + " does not exist");
            }
            return md;
        }
        return null;
    }

    static Map<String, Object> json(Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", s.tag());
        m.put("keyspace", s.keyspace());
        m.put("table", s.table());
        m.put("directory", s.directory().toString());
        m.put("files", s.files());
        m.put("bytes", s.bytes());
        m.put("true_bytes", s.trueBytes());
        m.put("created_at", Instant.ofEpochMilli(s.createdAtMillis()).toString());
        return m;
    }
}
