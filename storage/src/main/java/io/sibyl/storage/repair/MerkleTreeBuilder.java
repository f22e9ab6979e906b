package io.sibyl.storage.repair;

import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadDigest;
import java.security.MessageDigest;
import java.util.List;

/**
 * Builds a {@link MerkleTree} of one table's data in a token range by reading it through the normal
 * scan path (memtables and SSTables merged and reconciled; tombstones kept), so two replicas holding
 * the same logical data build the same tree however it is spread over memtables and SSTables.
 *
 * <p>The range is read in chunks of consecutive leaves, so memory holds one chunk's partitions at a
 * time, not the whole range.
 */
public final class MerkleTreeBuilder {

    /** Chunks a range is read in (fewer when the tree has fewer leaves). */
    static final int CHUNKS = 256;

    /** Reads the reconciled, unfiltered partitions of one non-wrapping key range, in ring order. */
    @FunctionalInterface
    public interface PartitionScanner {
        List<PartitionUpdate> scan(KeyRange range);
    }

    private MerkleTreeBuilder() {
    }

    /** Scans {@code table} (all columns and rows, no tombstone thresholds) as of {@code nowInSec}. */
    public static PartitionScanner scannerOf(TableStore table, int nowInSec) {
        return range -> table.scanUnbounded(new PartitionRangeReadCommand(table.metadata(), range,
                ClusteringFilter.ALL, nowInSec, DataLimits.NONE)).partitions();
    }

    public static MerkleTree build(TableStore table, TokenSubrange range, int depth, int nowInSec) {
        return build(range, depth, scannerOf(table, nowInSec));
    }

    public static MerkleTree build(TokenSubrange range, int depth, PartitionScanner scanner) {
        MerkleTree.checkDepth(depth);
        MerkleTree.checkWidth(range, depth);
        int leaves = 1 << depth;
        int chunks = Math.min(CHUNKS, leaves);
        int leavesPerChunk = leaves / chunks;
        MessageDigest[] digests = new MessageDigest[leaves];
        for (int c = 0; c < chunks; c++) {
            TokenSubrange chunk = new TokenSubrange(
                    MerkleTree.boundary(range, depth, c * leavesPerChunk),
                    MerkleTree.boundary(range, depth, (c + 1) * leavesPerChunk));
            for (KeyRange keys : chunk.keyRanges()) {
                for (PartitionUpdate p : scanner.scan(keys)) {
                    int leaf = MerkleTree.leafOf(range, depth, p.key().token());
                    if (digests[leaf] == null) {
                        digests[leaf] = MerkleTree.md5();
                    }
                    // Each partition's digest covers its key, deletions, rows and cells (ReadDigest).
                    digests[leaf].update(ReadDigest.of(List.of(p)));
                }
            }
        }
        byte[][] hashes = new byte[leaves][];
        for (int i = 0; i < leaves; i++) {
            hashes[i] = digests[i] == null ? MerkleTree.emptyHash() : digests[i].digest();
        }
        return new MerkleTree(range, depth, hashes);
    }
}
