package io.sibyl.app.http.routes;

import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.TopologyChecks;
import io.sibyl.actors.cluster.TopologyCoordinator;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.errors.TopologyChangeException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Topology changes: {@code POST /v1/admin/decommission} (this node leaves the ring),
 * {@code POST /v1/admin/removenode/{id}} (a dead node's ranges are restreamed from the remaining
 * replicas) and {@code POST /v1/admin/topology/abort?node=} (roll back a change before reads moved).
 * Each answers 202 once the change's first step is in the cluster metadata log; progress shows in
 * {@code GET /v1/cluster} ({@code topology_change}, node states UL/UJ, epochs).
 */
public final class TopologyRoutes {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);

    private final ClusterNode cluster;
    private final SchemaStore schema;

    public TopologyRoutes(ClusterNode cluster, SchemaStore schema) {
        this.cluster = cluster;
        this.schema = schema;
    }

    public void register(HttpApi api) {
        // These wait up to ASK_TIMEOUT for the topology coordinator, longer than the data request timeout.
        api.post("/v1/admin/decommission", r -> {
            r.timeout().useAdminTimeout();
            return leave(cluster.id(), false);
        });
        api.post("/v1/admin/removenode/{}", r -> {
            r.timeout().useAdminTimeout();
            String id = r.pathParam(0);
            if (id == null || id.isBlank()) {
                throw new InvalidRequestException("removenode needs a node id");
            }
            return leave(NodeId.of(id), true);
        });
        api.post("/v1/admin/topology/abort", r -> {
            r.timeout().useAdminTimeout();
            String node = r.query("node").orElseThrow(() -> new InvalidRequestException("query parameter 'node' is required"));
            return answer(cluster.abortChange(NodeId.of(node), "aborted by an operator", ASK_TIMEOUT), NodeId.of(node),
                    "abort");
        });
    }

    private CompletionStage<HttpResponse> leave(NodeId node, boolean removal) {
        RingView view = cluster.ringView().current();
        NodeRecord r = view.records().get(node);
        String op = removal ? "removenode" : "decommission";
        if (r == null) {
            throw new NotFoundException("no node " + node + " in the ring");
        }
        if (r.status() != NodeStatus.NORMAL) {
            throw new InvalidRequestException(op + " refused: node " + node + " is " + r.status() + ", not NORMAL");
        }
        if (removal && view.isAlive(node)) {
            throw new InvalidRequestException("removenode refused: node " + node + " is alive (" + view.state(node)
                    + "); decommission it instead (POST /v1/admin/decommission on that node)");
        }
        String rf = TopologyChecks.replicationShortfall(view, node, strategies());
        if (rf != null) {
            throw new InvalidRequestException(op + " refused: " + rf);
        }
        return answer(cluster.requestLeave(node, removal, ASK_TIMEOUT), node, op);
    }

    private Map<String, ReplicationStrategy> strategies() {
        Schema s = schema.current();
        Map<String, ReplicationStrategy> out = new TreeMap<>();
        for (KeyspaceMetadata ks : s.keyspaces().values()) {
            out.put(ks.name(), s.strategy(ks.name()));
        }
        return out;
    }

    private static CompletionStage<HttpResponse> answer(CompletionStage<TopologyCoordinator.Reply> reply, NodeId node,
                                                        String op) {
        return reply.handle((rep, err) -> {
            if (err != null) {
                throw TopologyChangeException.unavailable("the topology coordinator did not answer the " + op + " of "
                        + node + " in time (" + err.getMessage() + "); retry");
            }
            switch (rep.outcome()) {
                case OK -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", "accepted");
                    body.put("operation", op);
                    body.put("node", node.value());
                    body.put("epoch", rep.epoch());
                    body.put("message", rep.message());
                    return Responses.json(202, body);
                }
                case NOT_FOUND -> throw new NotFoundException(rep.message());
                case CONFLICT, RETRY -> throw TopologyChangeException.conflict(rep.message());
                default -> throw new InvalidRequestException(rep.message());
            }
        });
    }
}
