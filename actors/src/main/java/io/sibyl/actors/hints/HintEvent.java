package io.sibyl.actors.hints;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What a HintReplayer writes to its journal (binary via {@link HintSerializer}). */
public sealed interface HintEvent {

    /** A hint was accepted; it gets the next id of the queue when applied. */
    record HintStored(long createdAtMillis, int ttlSeconds, List<UUID> tableIds, byte[] mutation) implements HintEvent {
        public HintStored {
            tableIds = List.copyOf(tableIds);
            Objects.requireNonNull(mutation, "mutation");
        }
    }

    /** Every hint with an id up to {@code upToId} was delivered (or dropped as expired or unknown). */
    record HintsDelivered(long upToId) implements HintEvent {
    }
}
