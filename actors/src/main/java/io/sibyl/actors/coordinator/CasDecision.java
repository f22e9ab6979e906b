package io.sibyl.actors.coordinator;

import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.ReadResult;

/**
 * The condition of a lightweight transaction: given the partition as it is now (read inside the
 * Paxos round), the update to make, or null when the condition does not hold. May be called several
 * times (once per round under contention), so it must not have side effects. The update's
 * timestamps are replaced by the ballot's (Cassandra rejects USING TIMESTAMP on conditional writes).
 */
@FunctionalInterface
public interface CasDecision {

    /** A decision that never writes: a SERIAL read. */
    CasDecision READ_ONLY = current -> null;

    /** @return the update of the read's partition to propose, or null for "not applied" */
    PartitionUpdate decide(ReadResult current);
}
