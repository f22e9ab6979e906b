package io.sibyl.actors.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MeasuredMailboxTest {

    private static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Blocks on {@code gate} while processing each message, then counts it down on {@code done}. */
    private static Behavior<String> gated(CountDownLatch started, CountDownLatch gate, CountDownLatch done) {
        return Behaviors.receiveMessage(m -> {
            if (m.equals("stop")) {
                return Behaviors.stopped();
            }
            started.countDown();
            gate.await(10, TimeUnit.SECONDS);
            done.countDown();
            return Behaviors.same();
        });
    }

    @Test
    void countsPendingAndCompletedPerKind() throws Exception {
        MailboxStats stats = MailboxStats.get(kit.system());
        assertEquals(new ActorKindStats("Compactor", 0, 0, 0, 0), stats.of("Compactor"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(5);
        ActorRef<String> a = kit.spawn(gated(started, gate, done), "gated-a", MeasuredMailbox.props("Compactor"));
        for (int i = 0; i < 5; i++) {
            a.tell("m" + i);
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // one message is being processed: the other four wait in the mailbox
        ActorKindStats busy = stats.of("Compactor");
        assertEquals(1, busy.actors());
        assertEquals(4, busy.pending());
        assertEquals(1, busy.completed());
        gate.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        awaitStats(stats, new ActorKindStats("Compactor", 1, 0, 5, 0));
        // another kind's counters are its own
        assertEquals(0, stats.of("Replica").completed());
        kit.stop(a);
    }

    @Test
    void messagesLeftWhenTheActorStopsCountAsDropped() throws Exception {
        MailboxStats stats = MailboxStats.get(kit.system());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        ActorRef<String> a = kit.spawn(Behaviors.receiveMessage(m -> {
            started.countDown();
            gate.await(10, TimeUnit.SECONDS);
            return Behaviors.stopped();
        }), "stops-after-one", MeasuredMailbox.props("HintReplayer"));
        a.tell("first");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        a.tell("left-1");
        a.tell("left-2");
        assertEquals(2, stats.of("HintReplayer").pending());
        gate.countDown();
        awaitStats(stats, new ActorKindStats("HintReplayer", 0, 0, 1, 2));
    }

    @Test
    void everyConfiguredKindIsListed() {
        var kinds = MailboxStats.get(kit.system()).snapshot().stream().map(ActorKindStats::kind).toList();
        assertTrue(kinds.containsAll(java.util.List.of("Replica", "MemtableFlusher", "Compactor", "HintReplayer",
                "StreamServer", "RingKeeper", "SchemaKeeper", "NodeHealthKeeper", "TopologyCoordinator")), kinds.toString());
    }

    private static void awaitStats(MailboxStats stats, ActorKindStats expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ActorKindStats now = stats.of(expected.kind());
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            now = stats.of(expected.kind());
        }
        assertEquals(expected, now);
    }
}
