package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import java.util.HashMap;
import java.util.Map;

/** Checks a topology request makes before it is sent to the topology coordinator. Pure. */
public final class TopologyChecks {

    private TopologyChecks() {
    }

    /**
     * Why removing {@code node} would leave some keyspace with fewer NORMAL nodes than its replication
     * factor (per data center for NetworkTopologyStrategy), or null if it would not.
     */
    public static String replicationShortfall(RingView view, NodeId node, Map<String, ReplicationStrategy> keyspaces) {
        Map<String, Integer> perDc = new HashMap<>();
        int total = 0;
        for (NodeRecord r : view.records().values()) {
            if (r.status() == NodeStatus.NORMAL && !r.id().equals(node)) {
                perDc.merge(r.info().dc(), 1, Integer::sum);
                total++;
            }
        }
        for (Map.Entry<String, ReplicationStrategy> ks : keyspaces.entrySet()) {
            ReplicationStrategy s = ks.getValue();
            if (s instanceof SimpleStrategy simple && total < simple.rf()) {
                return "keyspace " + ks.getKey() + " has replication factor " + simple.rf() + " but only " + total
                        + " NORMAL nodes would remain";
            }
            if (s instanceof NetworkTopologyStrategy nts) {
                for (Map.Entry<String, Integer> dc : nts.dcRf().entrySet()) {
                    int left = perDc.getOrDefault(dc.getKey(), 0);
                    if (left < dc.getValue()) {
                        return "keyspace " + ks.getKey() + " has replication factor " + dc.getValue() + " in data center "
                                + dc.getKey() + " but only " + left + " NORMAL nodes would remain there";
                    }
                }
            }
        }
        return null;
    }
}
