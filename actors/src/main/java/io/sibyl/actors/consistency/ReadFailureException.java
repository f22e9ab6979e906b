package io.sibyl.actors.consistency;

import io.sibyl.actors.ring.NodeId;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Replicas answered the read with a failure (e.g. the tombstone failure threshold), so the level
 * can no longer be met. Maps to {@code READ_FAILURE} (502) with {@code reasons}: failing node →
 * reason.
 */
public final class ReadFailureException extends RuntimeException {

    private final ConsistencyLevel consistency;
    private final int received;
    private final int blockFor;
    private final Map<NodeId, String> reasons;

    public ReadFailureException(ConsistencyLevel consistency, int received, int blockFor, Map<NodeId, String> reasons) {
        super("Read failed at consistency " + consistency + ": received " + received + " of " + blockFor
                + " required responses and " + reasons.size() + " failure(s): " + reasons);
        this.consistency = Objects.requireNonNull(consistency, "consistency");
        this.received = received;
        this.blockFor = blockFor;
        this.reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }

    public ConsistencyLevel consistency() {
        return consistency;
    }

    public int received() {
        return received;
    }

    public int blockFor() {
        return blockFor;
    }

    public int failures() {
        return reasons.size();
    }

    public Map<NodeId, String> reasons() {
        return reasons;
    }

    /**
     * Whether some replica failed only because its answer would not fit in one inter-node message (the
     * reason strings are {@code FailureReason + ": " + message}): a read asking for fewer rows may pass.
     */
    public boolean isResponseTooLarge() {
        for (String r : reasons.values()) {
            if (r.startsWith(RESPONSE_TOO_LARGE_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** How {@code ReplicaActor.FailureReason.RESPONSE_TOO_LARGE} starts a reason string. */
    public static final String RESPONSE_TOO_LARGE_PREFIX = "RESPONSE_TOO_LARGE:";
}
