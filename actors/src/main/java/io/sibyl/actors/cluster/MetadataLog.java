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
 */
public final class MetadataLog {

    private MetadataLog() {
    }

    /** Epoch (as {@link #key}) to entry; durable (the {@code sibyl-durable-} prefix), so a restarted node knows it. */
    public static final Key<LWWMap<String, MetadataEntry>> LOG_KEY = LWWMapKey.create("sibyl-durable-metadata-log");

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
            MetadataEntry now = entries.get(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                rewound.accept(e.getValue().epoch());
                return replay(ClusterMetadata.EMPTY, entries, errors);
            }
        }
        return replay(current, entries, errors);
    }

    /** The entries of {@code entries} up to {@code epoch}: what a metadata at that epoch was built from. */
    public static Map<String, MetadataEntry> upTo(Map<String, MetadataEntry> entries, long epoch) {
        return new java.util.TreeMap<>(entries).headMap(key(epoch), true);
    }

    /**
     * {@code from} with every entry of {@code entries} that follows it applied in epoch order, stopping
     * at the first missing epoch (a later entry waits until the missing one arrives).
     *
     * @param errors told of an entry that cannot be applied (the replay stops there)
     */
    public static ClusterMetadata replay(ClusterMetadata from, Map<String, MetadataEntry> entries, Consumer<String> errors) {
        ClusterMetadata m = from;
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
