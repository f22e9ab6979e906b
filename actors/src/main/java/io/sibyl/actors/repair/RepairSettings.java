package io.sibyl.actors.repair;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.storage.repair.MerkleTree;

import java.time.Duration;

/**
 * Repair settings ({@code sibyl.repair.*}, defaults in reference.conf, documented in config/sibyl.conf).
 *
 * @param merkleTreeDepth the deepest tree a range gets (fewer levels for ranges with few partitions)
 * @param requestTimeout  how long one replica request of a session may take
 * @param batchBytes      repair mutations go to a replica in batches of about this many bytes
 */
public record RepairSettings(int merkleTreeDepth, Duration requestTimeout, long batchBytes) {

    /**
     * Deeper trees would not fit one inter-node message (16 bytes a leaf, 1 MiB frames); the difference
     * streaming narrows ranges anyway.
     */
    public static final int MAX_DEPTH = 15;

    public RepairSettings {
        if (merkleTreeDepth < 0 || merkleTreeDepth > Math.min(MAX_DEPTH, MerkleTree.MAX_DEPTH)) {
            throw new IllegalArgumentException("sibyl.repair.merkle_tree_depth must be 0.." + MAX_DEPTH
                    + ", was " + merkleTreeDepth);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("sibyl.repair.request_timeout must be positive, was " + requestTimeout);
        }
        if (batchBytes < 1) {
            throw new IllegalArgumentException("sibyl.repair.batch_bytes must be positive, was " + batchBytes);
        }
    }

    public static RepairSettings fromConfig(Config config) {
        Config c = config.withFallback(ConfigFactory.defaultReference());
        return new RepairSettings(c.getInt("sibyl.repair.merkle_tree_depth"),
                c.getDuration("sibyl.repair.request_timeout"), c.getBytes("sibyl.repair.batch_bytes"));
    }

    public static RepairSettings defaults() {
        return fromConfig(ConfigFactory.empty());
    }

    public RepairSettings withMerkleTreeDepth(int depth) {
        return new RepairSettings(depth, requestTimeout, batchBytes);
    }

    public RepairSettings withBatchBytes(long bytes) {
        return new RepairSettings(merkleTreeDepth, requestTimeout, bytes);
    }
}
