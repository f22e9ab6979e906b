package io.sibyl.actors.paxos;

import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static io.sibyl.actors.paxos.PaxosStateTest.BIGINT;
import static io.sibyl.actors.paxos.PaxosStateTest.KV;
import static io.sibyl.actors.paxos.PaxosStateTest.ballot;
import static io.sibyl.actors.paxos.PaxosStateTest.key;
import static io.sibyl.actors.paxos.PaxosStateTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptor on a real engine: state in system.paxos, durable across a crash (no flush, commit log replay). */
class PaxosReplicaTest {

    static ActorSystem<Void> system;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "paxos-replica-test");
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, StorageSettings.defaults(),
                PaxosTable.withSystemTables(id -> id.equals(KV.id()) ? KV : null), Materializer.matFromSystem(system));
        e.createTable(KV);
        return e;
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Long value(StorageEngine e, long k) {
        var r = e.table(KV.id()).read(SinglePartitionReadCommand.fullPartition(KV, key(k), (int) (System.currentTimeMillis() / 1000)));
        return r.filtered().isEmpty() ? null : (Long) BIGINT.deserialize(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    @Test
    void stateIsDurableAcrossACrashAndCommitsApplyTheUpdate() throws Exception {
        StorageEngine engine = open();
        PaxosReplica paxos = new PaxosReplica(engine);
        long now = System.currentTimeMillis() * 1000;
        Proposal p1 = Proposal.of(ballot(now), put(1, 41));
        assertTrue(get(paxos.prepare(KV, key(1), ballot(now))).promised());
        assertTrue(get(paxos.propose(p1)));
        get(paxos.commit(p1));
        assertEquals(41L, value(engine, 1));
        Proposal p2 = Proposal.of(ballot(now + 10), put(1, 42));
        assertTrue(get(paxos.prepare(KV, key(1), ballot(now + 10))).promised());
        assertTrue(get(paxos.propose(p2)));
        assertTrue(get(paxos.prepare(KV, key(1), ballot(now + 20))).promised());
        assertTrue(get(paxos.prepare(KV, key(2), ballot(now + 5))).promised(), "each partition has its own state");
        PaxosState before = paxos.state(KV, key(1));
        engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS); // as after kill -9

        StorageEngine reopened = open();
        PaxosReplica again = new PaxosReplica(reopened);
        PaxosState after = again.state(KV, key(1));
        assertEquals(before, after);
        assertEquals(ballot(now + 20), after.promised());
        assertEquals(p2, after.accepted());
        assertEquals(p1, after.mostRecentCommit());
        assertEquals(41L, value(reopened, 1), "the committed update replays like any write");
        assertFalse(get(again.prepare(KV, key(1), ballot(now + 15))).promised(), "the promise survived");
        assertFalse(get(again.propose(Proposal.of(ballot(now + 15), put(1, 0)))));
        PrepareResponse r = get(again.prepare(KV, key(1), ballot(now + 30)));
        assertTrue(r.promised());
        assertEquals(p2, r.accepted(), "the accepted proposal comes back for completion");
        get(again.commit(Proposal.of(ballot(now + 30), p2.update())));
        assertNull(again.state(KV, key(1)).accepted());
        assertEquals(42L, value(reopened, 1));
        // A flush (SSTables) keeps it too.
        get(reopened.flushAll());
        reopened.close();
        StorageEngine third = open();
        assertEquals(ballot(now + 30), new PaxosReplica(third).state(KV, key(1)).mostRecentCommit().ballot());
        third.close();
    }
}
