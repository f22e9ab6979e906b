package io.sibyl.actors.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The body of {@code GET /v1/cluster} (what {@code nodetool status} and {@code describecluster}
 * show), built from a {@link RingView} by a pure function. Records with Jackson names, ready to
 * be written as JSON.
 *
 * <p>Tokens are strings, as in Cassandra's {@code system.peers}: 64-bit values do not survive
 * JSON parsers that read numbers as doubles. Ownership values are fractions of the ring (0..1).
 *
 * @param node            the id of the node that answered
 * @param ringVersion     the version of the view the answer was built from
 * @param schemaAgreement whether every live node reports the same schema version
 * @param schemaVersions  schema version to the live nodes reporting it; down nodes under
 *                        {@code "UNREACHABLE"} (as nodetool describecluster shows them)
 * @param nodes           every known node, by data center, then address
 */
public record ClusterStatus(
        @JsonProperty("node") String node,
        @JsonProperty("ring_version") long ringVersion,
        @JsonProperty("schema_agreement") boolean schemaAgreement,
        @JsonProperty("schema_versions") Map<String, List<String>> schemaVersions,
        @JsonProperty("nodes") List<NodeEntry> nodes,
        @JsonProperty("epoch") long epoch,
        @JsonProperty("topology_change") ChangeEntry topologyChange) {

    public static final String UNREACHABLE = "UNREACHABLE";

    /**
     * One node's line.
     *
     * @param load             bytes of data on disk as the node last reported it; null if unknown
     * @param schemaVersion    the node's schema version; null if unknown
     * @param ownership        keyspace to effective ownership (the fraction of the ring this node
     *                         holds a replica of under the keyspace's replication)
     * @param primaryOwnership the fraction of the ring this node is the primary replica for
     */
    public record NodeEntry(
            @JsonProperty("id") String id,
            @JsonProperty("address") String address,
            @JsonProperty("cluster_port") int clusterPort,
            @JsonProperty("http_port") int httpPort,
            @JsonProperty("native_port") int nativePort,
            @JsonProperty("dc") String dc,
            @JsonProperty("rack") String rack,
            @JsonProperty("state") String state,
            @JsonProperty("status") String status,
            @JsonProperty("load") Long load,
            @JsonProperty("schema_version") String schemaVersion,
            @JsonProperty("num_tokens") int numTokens,
            @JsonProperty("tokens") List<String> tokens,
            @JsonProperty("primary_ownership") double primaryOwnership,
            @JsonProperty("ownership") Map<String, Double> ownership,
            @JsonProperty("epoch") Long epoch) {
    }

    /**
     * The topology change in progress.
     *
     * @param kind           JOIN, LEAVE (decommission), REMOVE (removenode) or REPLACE (start --replace)
     * @param step           PREPARED, WRITES_PENDING, STREAMING or READS_MOVED
     * @param streamers      the nodes that fetch ranges; {@code streamsDone} those that finished
     * @param pendingRanges  keyspace to node id to the ranges ({@code "(left, right]"}) it is pending for
     * @param replaces       for REPLACE, the dead node whose tokens {@code node} takes over (else absent)
     */
    public record ChangeEntry(
            @JsonProperty("kind") String kind,
            @JsonProperty("node") String node,
            @JsonProperty("step") String step,
            @JsonProperty("started_epoch") long startedEpoch,
            @JsonProperty("streamers") List<String> streamers,
            @JsonProperty("streams_done") List<String> streamsDone,
            @JsonProperty("pending_ranges") Map<String, Map<String, List<String>>> pendingRanges,
            @JsonProperty("replaces") @com.fasterxml.jackson.annotation.JsonInclude(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String replaces) {
    }

    /**
     * @param keyspaces      keyspace name to its replication strategy
     * @param load           bytes on disk per node, as far as known
     * @param schemaVersions schema version per node, as far as known
     */
    public static ClusterStatus of(RingView view, Map<String, ReplicationStrategy> keyspaces,
                                   Map<NodeId, Long> load, Map<NodeId, String> schemaVersions) {
        return of(view, keyspaces, load, schemaVersions, Map.of());
    }

    /** As above, with the cluster metadata epoch each node reported ({@code epochs}). */
    public static ClusterStatus of(RingView view, Map<String, ReplicationStrategy> keyspaces,
                                   Map<NodeId, Long> load, Map<NodeId, String> schemaVersions,
                                   Map<NodeId, Long> epochs) {
        Objects.requireNonNull(view, "view");
        TokenRing ring = view.ring();
        Map<String, Map<NodeId, Double>> ownershipByKeyspace = new TreeMap<>();
        keyspaces.forEach((ks, strategy) -> ownershipByKeyspace.put(ks, ring.ownership(strategy)));
        Map<NodeId, Double> primary = ring.primaryOwnership();

        List<NodeRecord> records = new ArrayList<>(view.records().values());
        records.sort(Comparator.comparing((NodeRecord r) -> r.info().dc())
                .thenComparing(r -> r.info().host())
                .thenComparingInt(r -> r.info().clusterPort())
                .thenComparing(NodeRecord::id));

        List<NodeEntry> nodes = new ArrayList<>();
        for (NodeRecord r : records) {
            NodeInfo n = r.info();
            Map<String, Double> owns = new LinkedHashMap<>();
            ownershipByKeyspace.forEach((ks, o) -> owns.put(ks, o.getOrDefault(n.id(), 0.0)));
            List<String> tokens = r.tokens().stream().map(String::valueOf).toList();
            nodes.add(new NodeEntry(n.id().value(), n.host(), n.clusterPort(), n.httpPort(), n.nativePort(), n.dc(), n.rack(),
                    view.state(n.id()).name(), r.status().name(), load.get(n.id()), schemaVersions.get(n.id()),
                    tokens.size(), tokens, primary.getOrDefault(n.id(), 0.0), owns,
                    n.id().equals(view.selfId()) ? Long.valueOf(view.epoch()) : epochs.get(n.id())));
        }

        Map<String, List<String>> versions = new TreeMap<>();
        boolean agreement = true;
        String agreed = null;
        for (NodeRecord r : records) {
            String id = r.id().value();
            if (!view.isAlive(r.id())) {
                versions.computeIfAbsent(UNREACHABLE, k -> new ArrayList<>()).add(id);
                continue;
            }
            String v = schemaVersions.get(r.id());
            if (v == null) {
                // A live node that has not told us its version might disagree: no agreement yet.
                agreement = false;
                continue;
            }
            versions.computeIfAbsent(v, k -> new ArrayList<>()).add(id);
            if (agreed == null) {
                agreed = v;
            } else if (!agreed.equals(v)) {
                agreement = false;
            }
        }
        versions.values().forEach(ids -> ids.sort(null));
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        versions.forEach((k, ids) -> frozen.put(k, List.copyOf(ids)));
        return new ClusterStatus(view.selfId().value(), view.version(), agreement, frozen, List.copyOf(nodes),
                view.epoch(), change(view, keyspaces));
    }

    private static ChangeEntry change(RingView view, Map<String, ReplicationStrategy> keyspaces) {
        TopologyChange c = view.change();
        if (c == null) {
            return null;
        }
        Map<String, Map<String, List<String>>> pending = new TreeMap<>();
        if (view.pendingRing() != null) {
            for (Map.Entry<String, ReplicationStrategy> ks : keyspaces.entrySet()) {
                Map<String, List<String>> byNode = new TreeMap<>();
                TokenRing cut = view.pendingRing().tokenCount() >= view.ring().tokenCount() ? view.pendingRing() : view.ring();
                for (io.sibyl.actors.ring.TokenRange r : cut.ranges()) {
                    for (NodeInfo n : view.pendingReplicas(ks.getValue(), r.right())) {
                        byNode.computeIfAbsent(n.id().value(), k -> new ArrayList<>()).add(r.toString());
                    }
                }
                pending.put(ks.getKey(), byNode);
            }
        }
        return new ChangeEntry(c.kind().name(), c.node().value(), c.step().name(), c.startedEpoch(),
                c.streamers().stream().map(NodeId::value).sorted().toList(),
                c.streamsDone().stream().map(NodeId::value).sorted().toList(), pending,
                c.replaced() == null ? null : c.replaced().value());
    }
}
