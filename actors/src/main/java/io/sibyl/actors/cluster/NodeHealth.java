package io.sibyl.actors.cluster;

/**
 * What a node tells the others about itself besides its ring record, for {@code GET /v1/cluster}:
 * the version of the schema it applied and the bytes of data on its disk. Spread through a
 * non-durable Distributed Data map (each node writes only its own entry); a restarted node
 * simply publishes it again.
 *
 * @param schemaVersion the node's schema version (a digest of its schema); null before it knows one
 * @param load          bytes of data under its data directory; -1 before the first measurement
 */
public record NodeHealth(String schemaVersion, long load) implements CborSerializable {

    public static final NodeHealth UNKNOWN = new NodeHealth(null, -1);

    public NodeHealth withSchemaVersion(String version) {
        return new NodeHealth(version, load);
    }

    public NodeHealth withLoad(long bytes) {
        return new NodeHealth(schemaVersion, bytes);
    }
}
