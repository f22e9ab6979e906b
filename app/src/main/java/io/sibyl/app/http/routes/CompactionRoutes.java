package io.sibyl.app.http.routes;

import io.sibyl.actors.compaction.Compactor;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.storage.compaction.CompactionProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * Compaction endpoints: {@code POST /v1/admin/compact[?keyspace=&table=][&wait=false]} (major compaction,
 * as {@code nodetool compact}) and {@code GET /v1/admin/compactions} (running compactions with their
 * progress, and the pending estimate).
 */
public final class CompactionRoutes {
    /** A major compaction of a large table takes long; the request waits up to this. */
    static final Duration MAJOR_TIMEOUT = Duration.ofHours(6);

    private final ActorRef<Compactor.Command> compactor;
    private final Scheduler scheduler;

    public CompactionRoutes(ActorRef<Compactor.Command> compactor, Scheduler scheduler) {
        this.compactor = compactor;
        this.scheduler = scheduler;
    }

    public void register(HttpApi api) {
        api.post("/v1/admin/compact", r -> {
            r.timeout().useAdminTimeout();
            String ks = r.query("keyspace").orElse(null);
            String table = r.query("table").orElse(null);
            if (table != null && ks == null) {
                throw new InvalidRequestException("table given without keyspace");
            }
            boolean wait = !r.query("wait").map(w -> w.equalsIgnoreCase("false")).orElse(false);
            var done = Compactor.compact(compactor, scheduler, ks, table, MAJOR_TIMEOUT).exceptionally(e -> {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof IllegalArgumentException) {
                    throw new NotFoundException(c.getMessage());
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            });
            if (!wait) {
                return Responses.done(Responses.json(202, Map.of("started", true)));
            }
            return done.thenApply(tables -> Responses.ok(Map.of("compacted", tables)));
        });
        api.get("/v1/admin/compactions", r -> Compactor.status(compactor, scheduler, Duration.ofSeconds(10))
                .thenApply(s -> {
                    List<Object> running = new ArrayList<>();
                    for (CompactionProgress p : s.running()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", p.id().toString());
                        m.put("keyspace", p.keyspace());
                        m.put("table", p.table());
                        m.put("kind", p.kind());
                        m.put("sstables", p.inputs());
                        m.put("bytes_done", p.bytesDone());
                        m.put("bytes_total", p.bytesTotal());
                        m.put("bytes_written", p.bytesWritten());
                        m.put("reason", p.reason());
                        running.add(m);
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("running", running);
                    body.put("pending_tasks", s.pendingTasks());
                    body.put("concurrent_compactors", s.concurrentCompactors());
                    body.put("compaction_throughput_bytes_per_second", s.throughputBytesPerSec());
                    return Responses.ok(body);
                }));
    }
}
