package io.sibyl.app.http.routes;

import io.sibyl.actors.cluster.ClusterStatus;
import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.cluster.TopologyState;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/cluster}: every node with its state, dc, rack, load, tokens, ownership per
 * keyspace and schema version, and whether the live nodes agree on the schema (nodetool status
 * plus describecluster). Built from this node's current view; no other node is asked.
 */
public final class ClusterRoutes {
    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final NodeHealthBoard health;
    private final TopologyState topology;

    public ClusterRoutes(RingViewHolder ring, SchemaStore schema, NodeHealthBoard health, TopologyState topology) {
        this.topology = topology;
        this.ring = ring;
        this.schema = schema;
        this.health = health;
    }

    public void register(HttpApi api) {
        api.get("/v1/cluster", r -> Responses.done(Responses.ok(status())));
        api.get("/v1/admin/endpoints", r -> Responses.done(Responses.ok(endpoints(
                r.query("keyspace").orElse(null), r.query("table").orElse(null), r.query("key").orElse(null)))));
    }

    /**
     * {@code GET /v1/admin/endpoints?keyspace=&table=&key=} (nodetool getendpoints): the replicas of a
     * partition key, written as in CQL literals without quotes; a composite key's parts joined by ':'.
     */
    java.util.Map<String, Object> endpoints(String keyspace, String table, String key) {
        if (keyspace == null || table == null || key == null) {
            throw new io.sibyl.app.errors.InvalidRequestException("endpoints needs 'keyspace', 'table' and 'key'");
        }
        Schema s = schema.current();
        io.sibyl.storage.schema.TableMetadata md = s.table(keyspace, table);
        if (md == null) {
            throw new io.sibyl.app.errors.NotFoundException("table " + keyspace + "." + table + " does not exist");
        }
        var pk = md.partitionKeyColumns();
        String[] parts = pk.size() == 1 ? new String[] {key} : key.split(":", -1);
        if (parts.length != pk.size()) {
            throw new io.sibyl.app.errors.InvalidRequestException("the partition key of " + keyspace + "." + table + " has "
                    + pk.size() + " parts; give them joined by ':'");
        }
        java.util.List<io.sibyl.storage.types.CqlType> types = new java.util.ArrayList<>();
        java.util.List<Object> values = new java.util.ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            types.add(pk.get(i).type());
            values.add(io.sibyl.storage.types.TypeCoercion.coerce(pk.get(i).type(), parts[i], pk.get(i).name()));
        }
        byte[] bytes;
        try {
            bytes = io.sibyl.storage.token.PartitionKeys.serialize(types, values);
        } catch (IllegalArgumentException e) {
            throw new io.sibyl.app.errors.InvalidRequestException(e.getMessage());
        }
        long token = io.sibyl.storage.token.Murmur3Partitioner.token(bytes);
        java.util.List<Object> replicas = new java.util.ArrayList<>();
        for (var n : ring.current().ring().replicasFor(s.strategy(keyspace), token)) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", n.id().toString());
            m.put("address", n.host());
            m.put("http_port", n.httpPort());
            m.put("dc", n.dc());
            m.put("rack", n.rack());
            replicas.add(m);
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("keyspace", keyspace);
        out.put("table", table);
        out.put("key", key);
        out.put("token", Long.toString(token));
        out.put("endpoints", replicas);
        return out;
    }

    ClusterStatus status() {
        RingView view = ring.current();
        Schema s = schema.current();
        Map<String, ReplicationStrategy> strategies = new TreeMap<>();
        for (KeyspaceMetadata ks : s.keyspaces().values()) {
            strategies.put(ks.name(), s.strategy(ks.name()));
        }
        Map<NodeId, Long> load = new HashMap<>();
        Map<NodeId, String> versions = new HashMap<>();
        health.current().forEach((id, h) -> {
            if (h.load() >= 0) load.put(id, h.load());
            if (h.schemaVersion() != null) versions.put(id, h.schemaVersion());
        });
        // This node's own version is the one it has right now, not the last one it published.
        versions.put(view.selfId(), s.version().toString());
        Map<NodeId, Long> epochs = new HashMap<>();
        topology.epochs().forEach((id, report) -> epochs.put(NodeId.of(id), report.epoch()));
        return ClusterStatus.of(view, strategies, load, versions, epochs);
    }
}
