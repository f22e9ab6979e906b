package io.sibyl.actors.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HintService and HintReplayer over the real journal in a temp dir, with a fake delivery. */
class HintServiceTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final CqlType TEXT = CqlTypes.parse("text");
    static final NodeId SELF = NodeId.of("self");
    static final NodeId TARGET = NodeId.of("target");

    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    final FakeDelivery delivery = new FakeDelivery();
    final List<ActorTestKit> kits = new ArrayList<>();
    final Map<UUID, TableMetadata> schema = new java.util.concurrent.ConcurrentHashMap<>();
    RingView view;

    @AfterEach
    void stopKits() {
        for (ActorTestKit kit : kits) {
            kit.shutdownTestKit();
        }
    }

    /** A clock tests move by hand (gc_grace and max_hint_window are hours and days). */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }
    }

    /** Records delivered values in order; fails the first {@code failures} attempts. */
    static final class FakeDelivery implements HintDelivery {
        final List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        final List<Long> attemptNanos = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public CompletionStage<Void> deliver(NodeId target, Mutation m) {
            attemptNanos.add(System.nanoTime());
            if (failures.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new RuntimeException("target busy"));
            }
            failures.set(0);
            delivered.add((Long) BIGINT.deserialize(m.key().key()));
            return CompletableFuture.completedFuture(null);
        }
    }

    static TableMetadata table(String name, int gcGraceSeconds) {
        return new TableMetadata("ks", name, UUID.nameUUIDFromBytes(name.getBytes()),
                List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", TEXT)),
                TableParams.DEFAULT.withGcGraceSeconds(gcGraceSeconds));
    }

    static Mutation put(TableMetadata t, long k, String v) {
        byte[] key = BIGINT.serialize(k);
        return Mutation.of(PartitionUpdate.builder(t, new DecoratedKey(Murmur3Partitioner.token(key), key))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(1, 0, 100), DeletionTime.LIVE,
                        List.of(Cell.live("v", TEXT.serialize(v), 1)), Map.of()))
                .build());
    }

    static RingView view(boolean targetUp) {
        return view(targetUp, NodeStatus.NORMAL);
    }

    static RingView view(boolean targetUp, NodeStatus targetStatus) {
        NodeInfo self = new NodeInfo(SELF, "127.0.0.1", 8080, 7000, "dc1", "r1");
        NodeInfo target = new NodeInfo(TARGET, "127.0.0.2", 8080, 7000, "dc1", "r1");
        TokenRing ring = TokenRing.empty().withNode(self, List.of(1L)).withNode(target, List.of(2L));
        return new RingView(targetUp ? 2 : 1, self, ring,
                Map.of(SELF, new NodeRecord(self, List.of(1L), NodeStatus.NORMAL),
                        TARGET, new NodeRecord(target, List.of(2L), targetStatus)),
                Map.of(SELF, NodeState.UN, TARGET, targetUp ? NodeState.UN : NodeState.DN));
    }

    private Config config(String extra) {
        Config base = ConfigFactory.parseString("""
                sibyl.data_dir = "%s"
                sibyl.hints.journal.fsync = off
                sibyl.hints.retry_min_backoff = 100ms
                sibyl.hints.retry_max_backoff = 400ms
                sibyl.hints.snapshot_every = 4
                pekko.loglevel = WARNING
                """.formatted(dir.toString().replace("\\", "/")) + extra).withFallback(ConfigFactory.load()).resolve();
        return HintSettings.from(base).toPekkoConfig().withFallback(base);
    }

    private HintService start(String extraConfig) {
        Config config = config(extraConfig);
        ActorTestKit kit = ActorTestKit.create("hints" + kits.size(), config);
        kits.add(kit);
        Function<UUID, TableMetadata> tables = schema::get;
        HintService service = HintService.start(kit.system(), HintSettings.from(config), delivery, () -> view, tables, clock);
        service.onRingView(view);
        return service;
    }

    private void setView(HintService service, boolean targetUp) {
        view = view(targetUp);
        service.onRingView(view);
    }

    private static boolean store(HintService s, Mutation m) {
        return s.store(TARGET, m).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    throw new AssertionError(ie);
                }
            }
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void hintsStoredWhileTheTargetIsDownAreDeliveredInOrderWhenItComesUp() throws Exception {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(false);
        HintService service = start("");
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (long k = 1; k <= 300; k++) {
            results.add(service.store(TARGET, put(t, k, "v" + k)).toCompletableFuture());
        }
        for (CompletableFuture<Boolean> r : results) {
            assertTrue(r.get(10, TimeUnit.SECONDS));
        }
        eventually(() -> assertEquals(300, service.stats().get(0).pending()));
        HintTargetStats s = service.stats().get(0);
        assertEquals(TARGET, s.target());
        assertTrue(s.bytes() > 300 * 10);
        assertEquals(Instant.ofEpochMilli(clock.millis()), s.oldest().orElseThrow());
        Thread.sleep(200);
        assertEquals(List.of(), delivery.delivered, "nothing is sent to a node that is down");

        setView(service, true);
        eventually(() -> assertEquals(range(1, 300), new ArrayList<>(delivery.delivered)));
        eventually(() -> assertEquals(List.of(), service.stats()));
    }

    @Test
    void aFailedDeliveryIsRetriedAfterABackoff() {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(true);
        delivery.failures.set(3);
        HintService service = start("");
        assertTrue(store(service, put(t, 7, "x")));
        assertTrue(store(service, put(t, 8, "y")));
        eventually(() -> assertEquals(List.of(7L, 8L), new ArrayList<>(delivery.delivered)));
        List<Long> attempts = new ArrayList<>(delivery.attemptNanos);
        assertEquals(5, attempts.size(), "three failures, then each hint once");
        // Backoff 100 ms, then 200, then 400: the gaps grow (checked loosely, against half).
        assertTrue(attempts.get(1) - attempts.get(0) >= TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(attempts.get(3) - attempts.get(2) >= TimeUnit.MILLISECONDS.toNanos(200));
        eventually(() -> assertEquals(List.of(), service.stats()));
    }

    @Test
    void aRestartKeepsUndeliveredHintsAndForgetsDeliveredOnes() throws Exception {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(true);
        HintService first = start("");
        for (long k = 1; k <= 10; k++) {
            assertTrue(store(first, put(t, k, "v")));
        }
        eventually(() -> assertEquals(range(1, 10), new ArrayList<>(delivery.delivered)));
        eventually(() -> assertEquals(List.of(), first.stats()));
        setView(first, false);
        for (long k = 11; k <= 15; k++) {
            assertTrue(store(first, put(t, k, "v")));
        }
        eventually(() -> assertEquals(5, first.stats().get(0).pending()));
        kits.remove(0).shutdownTestKit();

        delivery.delivered.clear();
        view = view(false);
        HintService second = start("");
        eventually(() -> assertEquals(1, second.stats().size()));
        assertEquals(5, second.stats().get(0).pending());
        setView(second, true);
        eventually(() -> assertEquals(range(11, 15), new ArrayList<>(delivery.delivered)));
        eventually(() -> assertEquals(List.of(), second.stats()));
        Thread.sleep(200);
        assertEquals(range(11, 15), new ArrayList<>(delivery.delivered), "delivered hints are not sent again");
        // Snapshots every 4 events delete the events below the previous snapshot: of the 17+ events
        // written, at most the last 2 * 4 are still in the journal.
        Path log = dir.resolve("hints/journal/hints-target");
        assertTrue(java.nio.file.Files.isDirectory(log));
        long left = io.sibyl.actors.persistence.JournalInspector.countEvents(log);
        assertTrue(left <= 8, left + " events left");
        assertTrue(java.nio.file.Files.list(dir.resolve("hints/snapshots")).findAny().isPresent());
    }

    @Test
    void replayIsThrottled() {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(false);
        // 10 hints of ~5 KiB at 50 KiB/s: the last is sent ~0.9 s after the first.
        HintService service = start("sibyl.hints.hinted_handoff_throttle = 50");
        String big = "x".repeat(5 * 1024);
        for (long k = 1; k <= 10; k++) {
            assertTrue(store(service, put(t, k, big)));
        }
        setView(service, true);
        eventually(() -> assertEquals(10, delivery.delivered.size()));
        List<Long> attempts = new ArrayList<>(delivery.attemptNanos);
        long elapsed = attempts.get(attempts.size() - 1) - attempts.get(0);
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(450), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void noHintsForANodeDownLongerThanTheMaxHintWindow() {
        TableMetadata t = table("t", 86_400);
        schema.put(t.id(), t);
        view = view(false);
        HintService service = start("sibyl.hints.max_hint_window = 1h");
        assertTrue(store(service, put(t, 1, "a")));
        clock.advance(Duration.ofMinutes(59));
        assertTrue(store(service, put(t, 2, "b")));
        clock.advance(Duration.ofMinutes(2));
        assertFalse(store(service, put(t, 3, "c")));
        // Back up (a timed-out write to a live node is hinted again), and then down anew: a new window.
        setView(service, true);
        assertTrue(store(service, put(t, 4, "d")));
        eventually(() -> assertEquals(List.of(1L, 2L, 4L), new ArrayList<>(delivery.delivered)));
        setView(service, false);
        clock.advance(Duration.ofMinutes(59));
        assertTrue(store(service, put(t, 5, "e")));
        clock.advance(Duration.ofMinutes(2));
        assertFalse(store(service, put(t, 6, "f")));
        setView(service, true);
        eventually(() -> assertEquals(List.of(1L, 2L, 4L, 5L), new ArrayList<>(delivery.delivered)));
    }

    @Test
    void hintsOlderThanGcGraceAreDroppedNotDelivered() {
        TableMetadata shortGrace = table("short", 60);
        TableMetadata longGrace = table("long", 3600);
        TableMetadata noGrace = table("none", 0);
        for (TableMetadata t : List.of(shortGrace, longGrace, noGrace)) {
            schema.put(t.id(), t);
        }
        view = view(false);
        HintService service = start("");
        assertFalse(store(service, put(noGrace, 9, "z")), "gc_grace_seconds = 0: no hint");
        assertTrue(store(service, put(shortGrace, 1, "a")));
        assertTrue(store(service, put(longGrace, 2, "b")));
        assertTrue(store(service, put(shortGrace, 3, "c")));
        clock.advance(Duration.ofSeconds(61));
        setView(service, true);
        eventually(() -> assertEquals(List.of(2L), new ArrayList<>(delivery.delivered)));
        eventually(() -> assertEquals(List.of(), service.stats()));
    }

    @Test
    void hintsForADroppedTableAreDropped() {
        TableMetadata gone = table("gone", 3600);
        TableMetadata kept = table("kept", 3600);
        schema.put(gone.id(), gone);
        schema.put(kept.id(), kept);
        view = view(false);
        HintService service = start("");
        assertTrue(store(service, put(gone, 1, "a")));
        assertTrue(store(service, put(kept, 2, "b")));
        schema.remove(gone.id());
        setView(service, true);
        eventually(() -> assertEquals(List.of(2L), new ArrayList<>(delivery.delivered)));
        eventually(() -> assertEquals(List.of(), service.stats()));
    }

    @Test
    void hintsForANodeThatLeftTheRingAreDropped() {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(false);
        HintService service = start("");
        assertTrue(store(service, put(t, 1, "a")));
        assertTrue(store(service, put(t, 2, "b")));
        eventually(() -> assertEquals(2, service.stats().get(0).pending()));
        view = view(false, NodeStatus.LEFT);
        service.onRingView(view);
        eventually(() -> assertEquals(List.of(), service.stats()));
        assertFalse(store(service, put(t, 3, "c")));
        assertEquals(List.of(), delivery.delivered);
    }

    @Test
    void hintsForANodeThatLeftTheRingAreReplayedToTheNewOwners() throws Exception {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(false);
        FakeDelivery newOwners = new FakeDelivery();
        newOwners.failures.set(1); // the first replay attempt fails and is retried
        Config config = config("");
        ActorTestKit kit = ActorTestKit.create("hints-rehome", config);
        kits.add(kit);
        HintService service = HintService.start(kit.system(), HintSettings.from(config), delivery, newOwners, () -> view,
                schema::get, clock);
        service.onRingView(view);
        for (long k = 1; k <= 5; k++) assertTrue(store(service, put(t, k, "v" + k)));
        eventually(() -> assertEquals(5, service.stats().get(0).pending()));
        view = view(false, NodeStatus.LEFT);
        service.onRingView(view);
        eventually(() -> assertEquals(range(1, 5), new ArrayList<>(newOwners.delivered)));
        eventually(() -> assertEquals(List.of(), service.stats()));
        assertEquals(List.of(), delivery.delivered, "nothing goes to the node that left");
        assertFalse(store(service, put(t, 6, "late")), "no new hints for a node that left");
        // replayed hints are recorded as delivered: a restart does not replay them again
        kit.shutdownTestKit();
        kits.remove(kit);
        newOwners.delivered.clear();
        ActorTestKit again = ActorTestKit.create("hints-rehome2", config);
        kits.add(again);
        HintService restarted = HintService.start(again.system(), HintSettings.from(config), delivery, newOwners, () -> view,
                schema::get, clock);
        restarted.onRingView(view);
        Thread.sleep(300);
        assertEquals(List.of(), newOwners.delivered);
        assertEquals(List.of(), restarted.stats());
    }

    @Test
    void disabledStoresNothing() throws Exception {
        TableMetadata t = table("t", 3600);
        schema.put(t.id(), t);
        view = view(false);
        HintService service = start("sibyl.hints.hinted_handoff_enabled = off");
        assertFalse(store(service, put(t, 1, "a")));
        setView(service, true);
        Thread.sleep(100);
        assertEquals(List.of(), service.stats());
        assertEquals(List.of(), delivery.delivered);
        assertFalse(java.nio.file.Files.exists(dir.resolve("hints/journal/hints-target")));
    }
}
