package io.sibyl.actors.hints;

import io.sibyl.actors.ring.NodeId;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code GET /v1/admin/hints} shows for one target node.
 *
 * @param target  the node the hints are for
 * @param pending hints not yet delivered
 * @param bytes   their serialized size
 * @param oldest  when the oldest of them was stored (empty when none)
 */
public record HintTargetStats(NodeId target, long pending, long bytes, Optional<Instant> oldest) {

    static HintTargetStats of(NodeId target, HintQueue q) {
        PendingHint first = q.oldest();
        return new HintTargetStats(target, q.size(), q.bytes(),
                first == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(first.createdAtMillis())));
    }
}
