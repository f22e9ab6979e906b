package io.sibyl.actors.ring;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the copies of a token's data live. Implementations are immutable values (records), so
 * they can key the per-ring replica cache.
 *
 * <p>If the strategy asks for more replicas than there are nodes, placement simply returns every
 * eligible node, as Cassandra does; consistency levels that need the missing replicas then fail
 * with UNAVAILABLE.
 */
public sealed interface ReplicationStrategy permits SimpleStrategy, NetworkTopologyStrategy {

    String CLASS = "class";
    String REPLICATION_FACTOR = "replication_factor";

    /**
     * The replicas for {@code token}, primary first, computed by walking {@code ring} (uncached;
     * use {@link TokenRing#replicasFor} or {@link #replicasFor} on hot paths).
     */
    List<NodeInfo> calculateNaturalReplicas(TokenRing ring, long token);

    /** Total configured replication factor (for NTS the sum over data centers). */
    int replicationFactor();

    /** The options as stored in the schema, {@code class} included; {@link #fromOptions} reads them back. */
    Map<String, String> toOptions();

    /** The cached replicas of {@code token} on {@code ring}. */
    default List<NodeInfo> replicasFor(TokenRing ring, long token) {
        return ring.replicasFor(this, token);
    }

    /**
     * Parses keyspace replication options, e.g. {@code {class: SimpleStrategy, replication_factor: 3}}
     * or {@code {class: NetworkTopologyStrategy, dc1: 3, dc2: 2}}.
     *
     * @throws IllegalArgumentException with a message fit for the client when the options are bad
     */
    static ReplicationStrategy fromOptions(Map<String, String> options) {
        return ReplicationOptions.parse(options, null);
    }

    /**
     * As {@link #fromOptions(Map)}, but a NetworkTopologyStrategy {@code replication_factor} option
     * is expanded to every data center in {@code knownDcs} not named explicitly (Cassandra 4.0+).
     */
    static ReplicationStrategy fromOptions(Map<String, String> options, Set<String> knownDcs) {
        return ReplicationOptions.parse(options, knownDcs);
    }
}
