package io.sibyl.actors.paxos;

/**
 * One replica's Paxos state for one partition of one table, and its transitions (Cassandra's
 * {@code PaxosState}). Immutable: each transition returns the new state and what to answer.
 *
 * @param promised         the highest ballot promised (null: none)
 * @param accepted         the proposal accepted and not yet known committed (null: none)
 * @param mostRecentCommit the latest committed proposal (null: none)
 */
public record PaxosState(Ballot promised, Proposal accepted, Proposal mostRecentCommit) {

    public static final PaxosState EMPTY = new PaxosState(null, null, null);

    /** The answer to a prepare, and the state after it. */
    public record Prepared(PaxosState state, PrepareResponse response) {
    }

    /** The answer to a propose, and the state after it. */
    public record Proposed(PaxosState state, boolean accepted) {
    }

    /**
     * Promises {@code ballot} when it is later than every ballot promised so far; the promise carries
     * the accepted proposal and the most recent commit. A refusal carries the promise that beat it
     * (so the coordinator picks a later ballot next) and the most recent commit.
     */
    public Prepared prepare(Ballot ballot) {
        if (ballot.isAfter(promised)) {
            return new Prepared(new PaxosState(ballot, accepted, mostRecentCommit),
                    new PrepareResponse(true, ballot, accepted, mostRecentCommit));
        }
        return new Prepared(this, new PrepareResponse(false, promised, accepted, mostRecentCommit));
    }

    /** Accepts a proposal whose ballot is the promised one or later (accepting implies promising it). */
    public Proposed propose(Proposal proposal) {
        if (promised == null || proposal.ballot().compareTo(promised) >= 0) {
            return new Proposed(new PaxosState(Ballot.max(promised, proposal.ballot()), proposal, mostRecentCommit), true);
        }
        return new Proposed(this, false);
    }

    /**
     * Records a commit (the caller applies its update to the table): it becomes the most recent commit
     * unless a later one is already known, and clears the accepted proposal it decides (that of its
     * ballot or an earlier one). The promise is left alone: a commit is not a prepare.
     */
    public PaxosState commit(Proposal commit) {
        Proposal mrc = commit.isAfter(mostRecentCommit) ? commit : mostRecentCommit;
        Proposal acc = accepted != null && accepted.ballot().compareTo(commit.ballot()) <= 0 ? null : accepted;
        return new PaxosState(promised, acc, mrc);
    }
}
