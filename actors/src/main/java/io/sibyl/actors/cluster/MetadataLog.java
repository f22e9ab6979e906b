package io.sibyl.actors.cluster;

import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;

/**
 * Where the cluster metadata log lives: a durable Distributed Data map from epoch to entry, written
 * only by the {@link TopologyCoordinator} singleton (each epoch once, with WriteMajority), read by every
 * node's {@link RingKeeper}, which applies the entries strictly in epoch order. Nodes report the epoch
 * they applied in a second, non-durable map (each node its own entry) that progress barriers read.
 *
 * <p>Every {@code metadata_snapshot_frequency} epochs the coordinator stores the whole metadata as the
 * log's snapshot ({@link #SNAPSHOT_KEY}) and removes the entries it covers, in one update (docs/adr:
 * "metadata log snapshots"); {@link #replay} installs it when a node is behind it.
 */
public final class MetadataLog {

    private MetadataLog() {
    }

    /** Epoch (as {@link #key}) to entry; durable (the {@code sibyl-durable-} prefix), so a restarted node knows it. */
    public static final Key<LWWMap<String, MetadataEntry>> LOG_KEY = LWWMapKey.create("sibyl-durable-metadata-log");

    /**
     * The map key of the log's snapshot ({@link MetadataEntry.Snapshot}): sorts before every epoch key, so
     * "is a later epoch there" checks ({@link MetadataFence#refusal}) never take it for an entry.
     */
    public static final String SNAPSHOT_KEY = "!snapshot";

    /** Node id to the epoch it has applied; rebuilt by every node at start, so not durable. */
    public static final Key<LWWMap<String, EpochReport>> EPOCHS_KEY = LWWMapKey.create("sibyl-metadata-epochs");

    /** What a node reports: the epoch it applied, and its current inter-node address ({@code host:port}). */
    public record EpochReport(long epoch, String clusterAddress) implements CborSerializable {
    }

    /** The map key of an epoch: zero-padded, so the keys sort by epoch. */
    public static String key(long epoch) {
        return String.format("%019d", epoch);
    }

    /**
     * What a follower applies when the log changed: {@code current} (built from {@code applied}) moved on by
     * the new entries; or, when an epoch it applied now holds another entry (an uncounted entry of a
     * superseded coordinator incarnation, replaced by the newer one's: see {@link MetadataFence}), the whole
     * log replayed from the start.
     *
     * @param applied the entries {@code current} was built from, by key
     * @param rewound told the first epoch whose entry changed, when the follower rewinds
     */
    public static ClusterMetadata follow(ClusterMetadata current, Map<String, MetadataEntry> applied,
                                         Map<String, MetadataEntry> entries, Consumer<String> errors,
                                         java.util.function.LongConsumer rewound) {
        for (Map.Entry<String, MetadataEntry> e : applied.entrySet()) {
            if (e.getKey().equals(SNAPSHOT_KEY)) {
                continue;
            }
            MetadataEntry now = entries.get(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                rewound.accept(e.getValue().epoch());
                return replay(ClusterMetadata.EMPTY, entries, errors);
            }
        }
        return replay(current, entries, errors);
    }

    /** The log's snapshot, or null when it has none. */
    public static MetadataEntry.Snapshot snapshot(Map<String, MetadataEntry> entries) {
        return entries.get(SNAPSHOT_KEY) instanceof MetadataEntry.Snapshot s ? s : null;
    }

    /** The entries of {@code entries} up to {@code epoch}: what a metadata at that epoch was built from. */
    public static Map<String, MetadataEntry> upTo(Map<String, MetadataEntry> entries, long epoch) {
        java.util.TreeMap<String, MetadataEntry> out = new java.util.TreeMap<>(new java.util.TreeMap<>(entries).headMap(key(epoch), true));
        out.remove(SNAPSHOT_KEY);
        return out;
    }

    /**
     * The keys of the entries a snapshot at {@code epoch} makes redundant (every epoch up to it): what the
     * coordinator removes from the log in the same update that stores the snapshot.
     */
    public static java.util.List<String> truncatedBy(Map<String, MetadataEntry> entries, long epoch) {
        return java.util.List.copyOf(upTo(entries, epoch).keySet());
    }

    /**
     * {@code from} with every entry of {@code entries} that follows it applied in epoch order, stopping
     * at the first missing epoch (a later entry waits until the missing one arrives). When the log's
     * snapshot is beyond {@code from} (the node was behind it: the entries it needs may be truncated), the
     * snapshot is installed first and only the entries after it are applied.
     *
     * @param errors told of an entry that cannot be applied (the replay stops there)
     */
    public static ClusterMetadata replay(ClusterMetadata from, Map<String, MetadataEntry> entries, Consumer<String> errors) {
        ClusterMetadata m = from;
        MetadataEntry.Snapshot snapshot = snapshot(entries);
        if (snapshot != null && snapshot.epoch() > m.epoch()) {
            m = snapshot.metadata();
        }
        while (true) {
            MetadataEntry next = entries.get(key(m.epoch() + 1));
            if (next == null) {
                return m;
            }
            try {
                m = m.apply(next);
            } catch (ClusterMetadata.IllegalTransitionException e) {
                errors.accept("cluster metadata entry " + next.describe() + " cannot be applied at epoch " + m.epoch()
                        + ": " + e.getMessage());
                return m;
            }
        }
    }
}
