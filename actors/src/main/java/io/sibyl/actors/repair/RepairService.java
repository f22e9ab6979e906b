package io.sibyl.actors.repair;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs this node's repair sessions, each on its own thread, and keeps their progress and outcome by
 * session id (the latest {@value #KEPT} sessions) for {@code GET /v1/admin/repair/{id}}.
 */
public final class RepairService implements AutoCloseable {

    static final int KEPT = 100;

    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final LocalReplica local;
    private final RepairReplicas replicas;
    private final RepairSettings settings;
    private final ExecutorService sessions;
    private final ExecutorService localWork;
    private final Map<String, RepairSession> byId = new LinkedHashMap<>();

    public RepairService(RingViewHolder ring, SchemaStore schema, LocalReplica local, ReplicaClient client,
                         RepairSettings settings) {
        this.ring = ring;
        this.schema = schema;
        this.local = local;
        this.settings = settings;
        this.sessions = Executors.newCachedThreadPool(daemon("sibyl-repair-session-"));
        // This node's own tree builds and range reads, in parallel with the remote replicas'.
        this.localWork = Executors.newFixedThreadPool(2, daemon("sibyl-repair-local-"));
        this.replicas = new RepairReplicas(client, local, ring.current().selfId(), localWork, settings.requestTimeout());
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts a session and answers its id at once. Throws IllegalArgumentException for a keyspace or
     * table that does not exist (nothing started).
     */
    public String start(RepairOptions options) {
        Schema s = schema.current();
        KeyspaceMetadata ks = s.keyspace(options.keyspace());
        if (ks == null) {
            throw new IllegalArgumentException("keyspace " + options.keyspace() + " does not exist");
        }
        for (String t : options.tables()) {
            if (ks.table(t) == null) {
                throw new IllegalArgumentException("table " + options.keyspace() + "." + t + " does not exist");
            }
        }
        String id = UUID.randomUUID().toString();
        RepairSession session = new RepairSession(id, options, ring::current, schema::current,
                t -> local.engine().table(t.id()), replicas, settings);
        synchronized (byId) {
            byId.put(id, session);
            Iterator<Map.Entry<String, RepairSession>> it = byId.entrySet().iterator();
            while (byId.size() > KEPT && it.hasNext()) {
                if (it.next().getValue().status().state() != RepairState.RUNNING) {
                    it.remove();
                }
            }
        }
        sessions.execute(session);
        return id;
    }

    public Optional<RepairStatus> status(String id) {
        synchronized (byId) {
            RepairSession s = byId.get(id);
            return s == null ? Optional.empty() : Optional.of(s.status());
        }
    }

    /** Every session this node keeps (the running ones and the last finished ones), oldest first. */
    public List<RepairStatus> sessions() {
        synchronized (byId) {
            return byId.values().stream().map(RepairSession::status).toList();
        }
    }

    /** This node's Merkle tree of a table's data in {@code range} (for operators and tests comparing replicas). */
    public MerkleTree localTree(TableMetadata table, TokenSubrange range, int depth) {
        return local.merkleTree(table.id(), range, depth, (int) (System.currentTimeMillis() / 1000));
    }

    @Override
    public void close() {
        sessions.shutdownNow();
        localWork.shutdownNow();
    }
}
