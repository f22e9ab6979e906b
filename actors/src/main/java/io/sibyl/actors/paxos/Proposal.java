package io.sibyl.actors.paxos;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value proposed (and maybe accepted, then committed) under a ballot: one partition's update
 * (Cassandra's {@code Commit}).
 */
public record Proposal(Ballot ballot, PartitionUpdate update) {

    public Proposal {
        Objects.requireNonNull(ballot, "ballot");
        Objects.requireNonNull(update, "update");
    }

    /**
     * A new proposal whose update is re-timestamped to the ballot's time (Cassandra's
     * {@code Commit.newProposal}): live data at the ballot's microseconds, deletions one microsecond
     * earlier so that an update that deletes and writes (a collection overwrite) keeps what it writes.
     */
    public static Proposal of(Ballot ballot, PartitionUpdate update) {
        return new Proposal(ballot, withTimestamp(update, ballot.micros()));
    }

    /** Whether this proposal's ballot is strictly later than {@code other}'s (other may be null). */
    public boolean isAfter(Proposal other) {
        return other == null || ballot.isAfter(other.ballot);
    }

    /** {@code update} with every timestamp replaced: {@code t} for data, {@code t - 1} for deletions. */
    public static PartitionUpdate withTimestamp(PartitionUpdate update, long t) {
        List<RangeTombstone> rts = new ArrayList<>(update.rangeTombstones().size());
        for (RangeTombstone rt : update.rangeTombstones()) {
            rts.add(new RangeTombstone(rt.slice(), deletion(rt.deletion(), t)));
        }
        List<Row> rows = new ArrayList<>(update.rows().size());
        for (Row r : update.rows()) {
            rows.add(row(r, t));
        }
        return new PartitionUpdate(update.metadata(), update.key(), deletion(update.partitionDeletion(), t), rts,
                row(update.staticRow(), t), rows);
    }

    private static Row row(Row r, long t) {
        LivenessInfo l = r.primaryKeyLivenessInfo();
        LivenessInfo liveness = l.isEmpty() ? l : new LivenessInfo(t, l.ttl(), l.localExpirationTime());
        List<Cell> cells = new ArrayList<>(r.cells().size());
        for (Cell c : r.cells()) {
            cells.add(new Cell(c.column(), c.path(), c.value(), c.isTombstone() ? t - 1 : t, c.ttl(), c.localDeletionTime()));
        }
        Map<String, DeletionTime> complex = new LinkedHashMap<>();
        r.complexDeletions().forEach((column, d) -> complex.put(column, deletion(d, t)));
        return new Row(r.clustering(), liveness, deletion(r.deletion(), t), cells, complex);
    }

    private static DeletionTime deletion(DeletionTime d, long t) {
        return d.isLive() ? d : new DeletionTime(t - 1, d.localDeletionTime());
    }
}
