package io.sibyl.actors.ring;

import java.util.Objects;

/**
 * What the ring knows about one node: its identity, where to reach it, and its place in the
 * topology (data center and rack drive NetworkTopologyStrategy placement and LOCAL_* levels).
 *
 * @param nativePort the node's CQL native protocol port, published with its other addresses so that
 *                   drivers learn it from {@code system.peers_v2}; 0 when the node has the native
 *                   protocol disabled, or in a record written by a build that did not publish it
 *                   (the field is optional in the serialized record)
 */
public record NodeInfo(NodeId id, String host, int httpPort, int clusterPort, String dc, String rack, int nativePort) {

    /** A node whose native port is not published (0). */
    public NodeInfo(NodeId id, String host, int httpPort, int clusterPort, String dc, String rack) {
        this(id, host, httpPort, clusterPort, dc, rack, 0);
    }

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dc, "dc");
        Objects.requireNonNull(rack, "rack");
        if (dc.isBlank()) {
            throw new IllegalArgumentException("data center name must not be blank (node " + id + ")");
        }
        if (rack.isBlank()) {
            throw new IllegalArgumentException("rack name must not be blank (node " + id + ")");
        }
        checkPort("httpPort", httpPort);
        checkPort("clusterPort", clusterPort);
        checkPort("nativePort", nativePort);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }

    public boolean isIn(String dataCenter) {
        return dc.equals(dataCenter);
    }
}
