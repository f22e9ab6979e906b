package io.sibyl.actors.paxos;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptor's transitions: promise only later ballots, accept only the promised one or later, commit. */
class PaxosStateTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-0000000000f1"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);

    static Ballot ballot(long micros) {
        return BallotGenerator.of(micros, 0x8000_0000_0000_0001L);
    }

    static DecoratedKey key(long k) {
        byte[] b = BIGINT.serialize(k);
        return new DecoratedKey(Murmur3Partitioner.token(b), b);
    }

    static PartitionUpdate put(long k, long v) {
        return PartitionUpdate.builder(KV, key(k)).add(Row.of(Clustering.EMPTY, LivenessInfo.create(5, 0, 100),
                DeletionTime.LIVE, List.of(Cell.live("v", BIGINT.serialize(v), 5)), Map.of())).build();
    }

    @Test
    void promisesOnlyLaterBallots() {
        PaxosState.Prepared first = PaxosState.EMPTY.prepare(ballot(10));
        assertTrue(first.response().promised());
        assertEquals(ballot(10), first.state().promised());
        PaxosState.Prepared same = first.state().prepare(ballot(10));
        assertFalse(same.response().promised(), "the same ballot is not promised twice");
        PaxosState.Prepared older = first.state().prepare(ballot(9));
        assertFalse(older.response().promised());
        assertEquals(ballot(10), older.response().ballot(), "a refusal names the promise that beat it");
        assertSame(first.state(), older.state(), "a refusal changes nothing");
        assertTrue(first.state().prepare(ballot(11)).response().promised());
    }

    @Test
    void acceptsThePromisedBallotOrLaterOnly() {
        PaxosState promised = PaxosState.EMPTY.prepare(ballot(10)).state();
        assertFalse(promised.propose(Proposal.of(ballot(9), put(1, 1))).accepted());
        PaxosState.Proposed same = promised.propose(Proposal.of(ballot(10), put(1, 1)));
        assertTrue(same.accepted());
        assertEquals(ballot(10), same.state().accepted().ballot());
        PaxosState.Proposed later = promised.propose(Proposal.of(ballot(12), put(1, 2)));
        assertTrue(later.accepted());
        assertEquals(ballot(12), later.state().promised(), "accepting a ballot promises it");
        assertFalse(later.state().prepare(ballot(11)).response().promised());
        // A later promise carries the accepted proposal back to its coordinator.
        PrepareResponse r = later.state().prepare(ballot(13)).response();
        assertTrue(r.promised());
        assertEquals(later.state().accepted(), r.accepted());
    }

    @Test
    void commitRecordsTheLatestCommitAndClearsWhatItDecides() {
        Proposal p10 = Proposal.of(ballot(10), put(1, 1));
        PaxosState accepted = PaxosState.EMPTY.prepare(ballot(10)).state().propose(p10).state();
        PaxosState committed = accepted.commit(p10);
        assertNull(committed.accepted());
        assertEquals(p10, committed.mostRecentCommit());
        assertEquals(ballot(10), committed.promised(), "a commit is not a promise");
        // An older commit arriving late neither replaces the newer one nor clears a newer acceptance.
        Proposal p12 = Proposal.of(ballot(12), put(1, 2));
        PaxosState newer = committed.prepare(ballot(12)).state().propose(p12).state();
        Proposal p8 = Proposal.of(ballot(8), put(1, 0));
        PaxosState late = newer.commit(p8);
        assertEquals(p12, late.accepted());
        assertEquals(p10, late.mostRecentCommit());
        assertEquals(p12, late.commit(p12).mostRecentCommit());
    }

    @Test
    void proposalsTakeTheBallotsTimestamp() {
        Ballot b = ballot(1_000_000);
        PartitionUpdate u = PartitionUpdate.builder(KV, key(1))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(5, 0, 100), new DeletionTime(3, 100),
                        List.of(Cell.live("v", BIGINT.serialize(1L), 5)), Map.of()))
                .build();
        PartitionUpdate t = Proposal.of(b, u).update();
        Row row = t.rows().get(0);
        assertEquals(1_000_000, row.primaryKeyLivenessInfo().timestamp());
        assertEquals(1_000_000, row.cell("v").timestamp());
        assertEquals(999_999, row.deletion().markedForDeleteAt(), "deletions just before the data they come with");
        assertEquals(1_000_000, b.micros());
    }

    @Property(tries = 200)
    void ballotsOfOneGeneratorStrictlyIncrease(@ForAll @Size(min = 2, max = 50) List<@IntRange(min = -3, max = 3) Integer> clockSteps) {
        long[] clock = {1_700_000_000_000_000L};
        List<Long> steps = new ArrayList<>();
        clockSteps.forEach(s -> steps.add((long) s));
        int[] i = {0};
        BallotGenerator g = new BallotGenerator("n1", () -> clock[0] += steps.get(i[0]++ % steps.size()));
        BallotGenerator other = new BallotGenerator("n2", () -> clock[0]);
        Ballot last = null;
        Set<Ballot> seen = new HashSet<>();
        for (int n = 0; n < clockSteps.size(); n++) {
            Ballot b = g.next();
            assertTrue(b.isAfter(last), b + " after " + last);
            assertTrue(seen.add(b));
            assertTrue(seen.add(other.next()), "another coordinator never makes the same ballot");
            last = b;
        }
        Ballot floor = g.next(last.micros() + 1000);
        assertTrue(floor.micros() >= last.micros() + 1000, "a floor learnt from a refusal is respected");
    }
}
