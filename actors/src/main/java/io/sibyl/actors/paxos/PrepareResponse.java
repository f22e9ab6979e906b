package io.sibyl.actors.paxos;

import java.util.Objects;

/**
 * A replica's answer to a prepare (Cassandra's {@code PrepareResponse}).
 *
 * @param promised         whether the ballot was promised
 * @param ballot           the promised ballot: the one asked for, or when refused the later promise that beat it
 * @param accepted         the accepted proposal not yet known committed (null: none)
 * @param mostRecentCommit the latest commit this replica knows (null: none)
 */
public record PrepareResponse(boolean promised, Ballot ballot, Proposal accepted, Proposal mostRecentCommit) {
    public PrepareResponse {
        Objects.requireNonNull(ballot, "ballot");
    }
}
