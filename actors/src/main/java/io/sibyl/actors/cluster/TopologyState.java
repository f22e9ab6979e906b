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
    private volatile boolean joinRefused;

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

    /**
     * True once the cluster refused this node's registration (e.g. it left the ring, or a replace was refused)
     * and the node left to stop: its process should end with a failure status, not as a clean stop.
     */
    public boolean joinRefused() {
        return joinRefused;
    }

    void joinRefused(boolean refused) {
        this.joinRefused = refused;
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
