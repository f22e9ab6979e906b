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
