package io.sibyl.actors.hints;

import java.util.List;

/** An immutable copy of a {@link HintQueue}, as the snapshot store keeps it. */
public record HintQueueSnapshot(long nextId, List<PendingHint> hints) {
    public HintQueueSnapshot {
        hints = List.copyOf(hints);
    }
}
