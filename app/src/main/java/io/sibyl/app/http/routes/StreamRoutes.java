package io.sibyl.app.http.routes;

import io.sibyl.actors.compaction.NodeCleanup;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.actors.streaming.Rebuild;
import io.sibyl.actors.streaming.StreamException;
import io.sibyl.actors.streaming.StreamSessions;
import io.sibyl.app.errors.StreamFailedException;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.errors.TopologyChangeInProgressException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Data movement endpoints: {@code GET /v1/admin/streams} (this node's range-stream sessions, incoming and
 * outgoing), {@code POST /v1/admin/rebuild?keyspace=&source=} (stream the ranges shared with a source, as
 * {@code nodetool rebuild}) and {@code POST /v1/admin/cleanup[?keyspace=&table=]} (drop partitions this node
 * no longer replicates, as {@code nodetool cleanup}); docs/api.md.
 */
public final class StreamRoutes {
    /** Cleanup rewrites every SSTable of the tables; the request waits up to this. */
    static final Duration CLEANUP_TIMEOUT = Duration.ofHours(6);

    private final StreamSessions sessions;
    private final NodeCleanup cleanup;
    private final SchemaStore schema;
    private final Rebuild rebuild;

    public StreamRoutes(StreamSessions sessions, NodeCleanup cleanup, Rebuild rebuild, SchemaStore schema) {
        this.sessions = sessions;
        this.rebuild = rebuild;
        this.cleanup = cleanup;
        this.schema = schema;
    }

    public void register(HttpApi api) {
        api.get("/v1/admin/streams", r -> Responses.doneOk(body(sessions.list())));
        api.post("/v1/admin/rebuild", r -> {
            r.timeout().useAdminTimeout(); // streams a keyspace's ranges before it answers
            String ks = r.query("keyspace").orElseThrow(() -> new InvalidRequestException("query parameter 'keyspace' is required"));
            String source = r.query("source").orElseThrow(() -> new InvalidRequestException("query parameter 'source' (a node id) is required"));
            String session = r.query("session").orElse(null);
            if (schema.current().keyspace(ks) == null) {
                throw new NotFoundException("keyspace " + ks + " does not exist");
            }
            return rebuild.rebuild(ks, source, session).exceptionally(e -> {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof IllegalArgumentException) {
                    throw new InvalidRequestException(c.getMessage());
                }
                if (c instanceof StreamException) {
                    throw new StreamFailedException(c.getMessage());
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }).thenApply(res -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("session_id", res.sessionId());
                m.put("ranges", res.ranges());
                m.put("partitions", res.partitions());
                m.put("bytes", res.bytes());
                return Responses.ok(m);
            });
        });
        api.post("/v1/admin/cleanup", r -> {
            r.timeout().useAdminTimeout(); // rewrites SSTables before it answers
            String ks = r.query("keyspace").orElse(null);
            String table = r.query("table").orElse(null);
            if (table != null && ks == null) {
                throw new InvalidRequestException("query parameter 'table' needs 'keyspace'");
            }
            if (ks != null && schema.current().keyspace(ks) == null) {
                throw new NotFoundException("keyspace " + ks + " does not exist");
            }
            if (table != null && schema.current().table(ks, table) == null) {
                throw new NotFoundException("table " + ks + "." + table + " does not exist");
            }
            return cleanup.cleanup(ks, table, CLEANUP_TIMEOUT).exceptionally(e -> {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof NodeCleanup.PendingRangesException) {
                    throw new TopologyChangeInProgressException(c.getMessage());
                }
                if (c instanceof IllegalArgumentException) {
                    throw new NotFoundException(c.getMessage());
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }).thenApply(tables -> Responses.ok(Map.of("cleaned", tables)));
        });
    }

    /** {@code {"sessions": [...]}}, oldest first; unknown totals are -1. */
    static Map<String, Object> body(List<StreamSessions.Info> list) {
        List<Object> out = new ArrayList<>();
        for (StreamSessions.Info s : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session_id", s.sessionId());
            m.put("direction", s.direction().name().toLowerCase(java.util.Locale.ROOT));
            m.put("peer", s.peer());
            m.put("keyspace", s.keyspace());
            m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
            m.put("ranges_done", s.rangesDone());
            m.put("ranges_total", s.rangesTotal());
            m.put("bytes_done", s.bytesDone());
            m.put("bytes_total", s.bytesTotal());
            m.put("partitions", s.partitions());
            m.put("started", s.started().toString());
            m.put("finished", s.finished() == null ? null : s.finished().toString());
            m.put("error", s.error());
            out.add(m);
        }
        return Map.of("sessions", out);
    }
}
