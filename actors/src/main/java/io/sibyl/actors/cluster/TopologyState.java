package io.sibyl.actors.cluster;

import java.util.Map;

/**
 * The cluster metadata this node has applied and the epochs the nodes report, readable from any
 * thread (for {@code /v1/cluster}). The RingKeeper is its only writer.
 */
public final class TopologyState {

    private volatile ClusterMetadata metadata = ClusterMetadata.EMPTY;
    private volatile Map<String, MetadataLog.EpochReport> epochs = Map.of();
    private volatile String registration = "not registered yet";

    public ClusterMetadata metadata() {
        return metadata;
    }

    /** Node id to the epoch it reported. */
    public Map<String, MetadataLog.EpochReport> epochs() {
        return epochs;
    }

    /** This node's registration with the topology coordinator, for operators. */
    public String registration() {
        return registration;
    }

    void metadata(ClusterMetadata m) {
        this.metadata = m;
    }

    void epochs(Map<String, MetadataLog.EpochReport> e) {
        this.epochs = e;
    }

    void registration(String r) {
        this.registration = r;
    }
}
