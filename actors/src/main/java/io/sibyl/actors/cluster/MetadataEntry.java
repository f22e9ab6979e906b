package io.sibyl.actors.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sibyl.actors.ring.NodeId;
import java.util.Objects;

/**
 * One entry of the cluster metadata log (or the log's {@link Snapshot}, kept beside the entries). Entry {@code N} moves the metadata from epoch {@code N - 1}
 * to {@code N}; {@link ClusterMetadata#apply} is the only way metadata changes. Only the
 * {@link TopologyCoordinator} (a cluster singleton) appends entries; every node applies them in epoch
 * order. Travels as Jackson CBOR (between nodes and into the durable store).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MetadataEntry.Register.class, name = "register"),
        @JsonSubTypes.Type(value = MetadataEntry.PrepareJoin.class, name = "prepare-join"),
        @JsonSubTypes.Type(value = MetadataEntry.PrepareLeave.class, name = "prepare-leave"),
        @JsonSubTypes.Type(value = MetadataEntry.PrepareReplace.class, name = "prepare-replace"),
        @JsonSubTypes.Type(value = MetadataEntry.StartChange.class, name = "start"),
        @JsonSubTypes.Type(value = MetadataEntry.BeginStreaming.class, name = "begin-streaming"),
        @JsonSubTypes.Type(value = MetadataEntry.StreamsDone.class, name = "streams-done"),
        @JsonSubTypes.Type(value = MetadataEntry.MidChange.class, name = "mid"),
        @JsonSubTypes.Type(value = MetadataEntry.FinishChange.class, name = "finish"),
        @JsonSubTypes.Type(value = MetadataEntry.AbortChange.class, name = "abort"),
        @JsonSubTypes.Type(value = MetadataEntry.Snapshot.class, name = "snapshot")
})
public sealed interface MetadataEntry extends CborSerializable {

    /** The epoch this entry creates. */
    long epoch();

    /** A short description for logs and {@code /v1/cluster}. */
    default String describe() {
        return getClass().getSimpleName() + "@" + epoch();
    }

    /** A node of a fresh cluster (no NORMAL node yet), or a node that already holds its data, enters NORMAL. */
    record Register(long epoch, NodeRecord record) implements MetadataEntry {
        public Register {
            Objects.requireNonNull(record, "record");
        }
    }

    /** A new node enters as JOINING and opens a join (CEP-21 PrepareJoin). */
    record PrepareJoin(long epoch, NodeRecord record) implements MetadataEntry {
        public PrepareJoin {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * A new node enters as JOINING with the tokens of the dead NORMAL node {@code replaced} and opens a
     * replace: it becomes the pending replica of the dead node's ranges, fetches them from the other
     * replicas, then takes its place (the dead node ends LEFT).
     */
    record PrepareReplace(long epoch, NodeRecord record, NodeId replaced) implements MetadataEntry {
        public PrepareReplace {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(replaced, "replaced");
        }
    }

    /** A NORMAL node becomes LEAVING: decommission ({@code removal = false}) or removenode (true). */
    record PrepareLeave(long epoch, NodeId node, boolean removal) implements MetadataEntry {
        public PrepareLeave {
            Objects.requireNonNull(node, "node");
        }
    }

    /** The gaining nodes become pending replicas (CEP-21 StartJoin / StartLeave). */
    record StartChange(long epoch, NodeId node) implements MetadataEntry {
        public StartChange {
            Objects.requireNonNull(node, "node");
        }
    }

    /** Every live node writes to the pending replicas (the barrier passed): streaming may begin. */
    record BeginStreaming(long epoch, NodeId node) implements MetadataEntry {
        public BeginStreaming {
            Objects.requireNonNull(node, "node");
        }
    }

    /** {@code streamer} has fetched every range it gains in the change of {@code node}. */
    record StreamsDone(long epoch, NodeId node, NodeId streamer) implements MetadataEntry {
        public StreamsDone {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(streamer, "streamer");
        }
    }

    /** Reads move to the new owners; the old ones still get writes (CEP-21 MidJoin / MidLeave). */
    record MidChange(long epoch, NodeId node) implements MetadataEntry {
        public MidChange {
            Objects.requireNonNull(node, "node");
        }
    }

    /** The change completes: a joining node is NORMAL, a leaving one LEFT (CEP-21 FinishJoin / FinishLeave). */
    record FinishChange(long epoch, NodeId node) implements MetadataEntry {
        public FinishChange {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * The change is rolled back before reads moved: a joining node is forgotten (it may register
     * again), a leaving one is NORMAL again. Pending replicas stop getting writes.
     */
    record AbortChange(long epoch, NodeId node, String reason) implements MetadataEntry {
        public AbortChange {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Not an entry but the whole metadata at {@code epoch}, stored under {@link MetadataLog#SNAPSHOT_KEY} of the
     * log: the entries up to {@code epoch} may then be truncated, and a node behind {@code epoch} installs it
     * and replays only the entries after (as Cassandra 5.1's CMS snapshots every
     * {@code metadata_snapshot_frequency} epochs). Never {@link ClusterMetadata#apply applied}.
     */
    record Snapshot(long epoch, java.util.List<NodeRecord> nodes, TopologyChange change, String lastAbort)
            implements MetadataEntry {
        public Snapshot {
            nodes = java.util.List.copyOf(nodes);
        }

        public static Snapshot of(ClusterMetadata m) {
            return new Snapshot(m.epoch(), java.util.List.copyOf(m.nodes().values()), m.change(), m.lastAbort());
        }

        /** The metadata this snapshot holds. */
        public ClusterMetadata metadata() {
            java.util.Map<NodeId, NodeRecord> byId = new java.util.HashMap<>();
            for (NodeRecord r : nodes) {
                byId.put(r.id(), r);
            }
            return new ClusterMetadata(epoch, byId, change, lastAbort);
        }
    }
}
