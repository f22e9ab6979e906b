package io.sibyl.actors.streaming;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming between two in-process nodes: two actor systems talking over Artery (loopback), each with
 * its own storage engine; the receiver pulls ranges from the source's {@link StreamServer}.
 */
class RangeFetcherTest {

    private static final Logger log = LoggerFactory.getLogger(RangeFetcherTest.class);
    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final CqlType BLOB = CqlTypes.parse("blob");
    static final TableMetadata T = new TableMetadata("ks", "t", UUID.fromString("00000000-0000-0000-0000-0000000000dd"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.clustering("c", BIGINT, 0, false),
                    ColumnMetadata.regular("v", BLOB)), TableParams.DEFAULT);
    static final TableMetadata OTHER = new TableMetadata("other", "t", UUID.fromString("00000000-0000-0000-0000-0000000000ee"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.clustering("c", BIGINT, 0, false),
                    ColumnMetadata.regular("v", BLOB)), TableParams.DEFAULT);
    static final Function<UUID, TableMetadata> SCHEMA = id -> id.equals(T.id()) ? T : id.equals(OTHER.id()) ? OTHER : null;
    static final int NOW = (int) (System.currentTimeMillis() / 1000);
    /** (MIN, 0] and a range that wraps past the end of the ring. */
    static final List<TokenRange> RANGES = List.of(new TokenRange(Long.MIN_VALUE, 0),
            new TokenRange(4611686018427387904L, -8000000000000000000L));
    static final long LARGE = 1_000_000L;

    static ActorTestKit sourceKit;
    static ActorTestKit targetKit;
    static NodeInfo sourceNode;
    static final NodeId TARGET = NodeId.of("target");

    @TempDir
    Path dir;
    StorageEngine source;
    StorageEngine target;
    StreamSessions sourceSessions;
    StreamSessions targetSessions;
    ActorRef<StreamServer.Command> server;

    static Config remote() {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.actor.provider = remote
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                """).withFallback(ConfigFactory.load());
    }

    @BeforeAll
    static void startSystems() {
        sourceKit = ActorTestKit.create("sibyl", remote());
        targetKit = ActorTestKit.create("sibyl", remote());
        int port = sourceKit.system().address().getPort().get();
        sourceNode = new NodeInfo(NodeId.of("source"), "127.0.0.1", 1, port, "dc1", "rack1");
    }

    @AfterAll
    static void stopSystems() {
        targetKit.shutdownTestKit();
        sourceKit.shutdownTestKit();
    }

    @BeforeEach
    void open() throws Exception {
        source = StorageEngine.open(dir.resolve("source"), StorageSettings.defaults(), SCHEMA,
                Materializer.matFromSystem(sourceKit.system()));
        target = StorageEngine.open(dir.resolve("target"), StorageSettings.defaults(), SCHEMA,
                Materializer.matFromSystem(targetKit.system()));
        for (StorageEngine e : List.of(source, target)) {
            e.createTable(T);
            e.createTable(OTHER);
            // every node has system.paxos (its LocalReplica creates it); it streams with the ranges
            e.createTable(io.sibyl.actors.paxos.PaxosTable.METADATA);
        }
        sourceSessions = new StreamSessions();
        targetSessions = new StreamSessions();
        server = sourceKit.spawn(StreamServer.create(source, StreamSettings.defaults().withThroughput(0), sourceSessions));
    }

    @AfterEach
    void close() {
        sourceKit.stop(server);
        source.close();
        target.close();
    }

    RangeFetcher fetcher(Function<NodeInfo, ActorRef<StreamServer.Command>> servers, StreamSettings settings) {
        return new RangeFetcher(targetKit.system(), new LocalReplica(target), TARGET, id -> true, servers,
                dir.resolve("target").resolve("system").resolve("streams"), settings, targetSessions);
    }

    RangeFetcher fetcher() {
        // the source's server by its remote address, as another node sees it
        String address = org.apache.pekko.actor.typed.ActorRefResolver.get(sourceKit.system()).toSerializationFormat(server);
        ActorRef<StreamServer.Command> remote = org.apache.pekko.actor.typed.ActorRefResolver.get(targetKit.system())
                .resolveActorRef(address);
        return fetcher(n -> remote, StreamSettings.defaults().withThroughput(0));
    }

    static DecoratedKey key(long k) {
        byte[] b = BIGINT.serialize(k);
        return new DecoratedKey(Murmur3Partitioner.token(b), b);
    }

    static boolean inRanges(long k) {
        long t = key(k).token();
        return RANGES.stream().anyMatch(r -> r.contains(t));
    }

    static Row row(long c, byte[] v, long ts, int ttl) {
        Cell cell = ttl == 0 ? Cell.live("v", v, ts) : Cell.expiring("v", null, v, ts, ttl, NOW);
        return Row.of(Clustering.of(BIGINT.serialize(c)), LivenessInfo.create(ts, ttl, NOW), DeletionTime.LIVE,
                List.of(cell), Map.of());
    }

    static void write(StorageEngine e, PartitionUpdate u) throws Exception {
        e.write(Mutation.of(u)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** 200 small partitions (every 10th with a TTL, every 10th a partition tombstone), one of ~4 MiB. */
    void load() throws Exception {
        for (long k = 0; k < 200; k++) {
            if (k % 10 == 7) {
                write(source, PartitionUpdate.partitionDeletion(T, key(k), new DeletionTime(200, NOW)));
            } else {
                write(source, PartitionUpdate.builder(T, key(k)).add(row(1, new byte[]{(byte) k},
                        100 + k, k % 10 == 3 ? 86_400 : 0)).build());
            }
            if (k == 100) {
                source.flush(T.id()).toCompletableFuture().get(10, TimeUnit.SECONDS); // half in SSTables, half in memtable
            }
        }
        byte[] big = new byte[1024];
        for (int chunk = 0; chunk < 4; chunk++) {
            PartitionUpdate.Builder b = PartitionUpdate.builder(T, largeKey());
            for (int c = chunk * 1000; c < (chunk + 1) * 1000; c++) {
                big[0] = (byte) c;
                b.add(row(c, big.clone(), 500, 0));
            }
            write(source, b.build());
        }
        // the other keyspace's table is not streamed
        write(source, PartitionUpdate.builder(OTHER, key(1)).add(row(1, new byte[]{1}, 1, 0)).build());
    }

    /** A partition key whose token is inside RANGES. */
    static DecoratedKey largeKey() {
        long k = LARGE;
        while (!inRanges(k)) {
            k++;
        }
        return key(k);
    }

    static List<PartitionUpdate> partition(StorageEngine e, TableMetadata t, DecoratedKey key) {
        return e.table(t.id()).scanUnbounded(new io.sibyl.storage.read.PartitionRangeReadCommand(t,
                new io.sibyl.storage.read.KeyRange(key, true, key, true), io.sibyl.storage.read.ClusteringFilter.ALL, NOW,
                io.sibyl.storage.read.DataLimits.NONE)).partitions();
    }

    @Test
    void thePaxosStateOfTheRangesMovesWithThem() throws Exception {
        io.sibyl.actors.paxos.PaxosReplica sourcePaxos = new io.sibyl.actors.paxos.PaxosReplica(source);
        io.sibyl.actors.paxos.PaxosReplica targetPaxos = new io.sibyl.actors.paxos.PaxosReplica(target);
        io.sibyl.actors.paxos.BallotGenerator ballots = new io.sibyl.actors.paxos.BallotGenerator("source");
        long in = 0;
        while (!inRanges(in)) in++;
        long out = 0;
        while (inRanges(out)) out++;
        write(source, PartitionUpdate.builder(T, key(in)).add(row(1, new byte[]{1}, 1, 0)).build());
        // key "in": promised and accepted, not committed (an in-flight CAS); key "out": only promised
        io.sibyl.actors.paxos.Ballot b = ballots.next();
        assertTrue(sourcePaxos.prepare(T, key(in), b).toCompletableFuture().get(10, TimeUnit.SECONDS).promised());
        PartitionUpdate cas = PartitionUpdate.builder(T, key(in)).add(row(2, new byte[]{2}, b.micros(), 0)).build();
        assertTrue(sourcePaxos.propose(io.sibyl.actors.paxos.Proposal.of(b, cas)).toCompletableFuture().get(10, TimeUnit.SECONDS));
        sourcePaxos.prepare(T, key(out), ballots.next()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        fetcher().fetchRanges("bootstrap-paxos", sourceNode, "ks", RANGES).toCompletableFuture().get(60, TimeUnit.SECONDS);

        io.sibyl.actors.paxos.PaxosState moved = targetPaxos.state(T, key(in));
        assertEquals(b, moved.promised(), "the promise moved with the range");
        assertTrue(moved.accepted() != null && moved.accepted().ballot().equals(b),
                "the accepted, uncommitted proposal moved with the range: " + moved);
        assertEquals(sourcePaxos.state(T, key(in)).accepted().update(), moved.accepted().update());
        assertEquals(io.sibyl.actors.paxos.PaxosState.EMPTY, targetPaxos.state(T, key(out)),
                "Paxos state outside the ranges stays behind");
        assertEquals(2 * RANGES.size(), targetSessions.list().get(0).rangesTotal(), "the keyspace's table and system.paxos");
    }

    @Test
    void streamsPartitionsInRangeWithTombstonesTtlsAndLargePartitions() throws Exception {
        load();
        long t0 = System.nanoTime();
        RangeStreamer.StreamSummary summary = fetcher().fetchRanges("bootstrap-1", sourceNode, "ks", RANGES)
                .toCompletableFuture().get(120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("Streamed {} partitions, {} bytes in {} s: {} MiB/s (unthrottled, loopback Artery, commit log group sync)",
                summary.partitions(), summary.bytes(), String.format("%.2f", secs),
                String.format("%.1f", summary.bytes() / secs / (1 << 20)));
        int in = 0;
        int tombstones = 0;
        int ttls = 0;
        for (long k = 0; k < 200; k++) {
            List<PartitionUpdate> got = partition(target, T, key(k));
            if (inRanges(k)) {
                in++;
                List<PartitionUpdate> want = partition(source, T, key(k));
                assertEquals(want, got, "partition " + k + " as on the source (timestamps, TTLs, tombstones)");
                if (k % 10 == 7) {
                    tombstones++;
                    assertFalse(got.get(0).partitionDeletion().isLive(), "the partition tombstone arrived");
                }
                if (k % 10 == 3) {
                    ttls++;
                    assertEquals(86_400, got.get(0).rows().get(0).cell("v").ttl());
                }
            } else {
                assertTrue(got.isEmpty(), "partition " + k + " is outside the ranges and must not be streamed");
            }
        }
        assertTrue(in > 20 && tombstones > 0 && ttls > 0, "the test data covers the cases: " + in + " " + tombstones + " " + ttls);
        List<PartitionUpdate> large = partition(target, T, largeKey());
        assertEquals(4000, large.get(0).rows().size(), "the large partition arrived whole");
        assertEquals(partition(source, T, largeKey()), large);
        assertTrue(summary.bytes() > 4_000_000, "the large partition spanned many chunks: " + summary.bytes());
        assertTrue(partition(target, OTHER, key(1)).isEmpty(), "only the requested keyspace is streamed");
        assertTrue(Files.exists(dir.resolve("target/system/streams/bootstrap-1/ks-from-source.json")));
        assertFalse(target.table(T.id()).sstables().isEmpty(), "the streamed table was flushed");
        StreamSessions.Info incoming = targetSessions.list().get(0);
        assertEquals(StreamSessions.State.SUCCEEDED, incoming.state());
        assertEquals(StreamSessions.Direction.INCOMING, incoming.direction());
        // the keyspace's table and system.paxos, two ranges each
        assertEquals(4, incoming.rangesDone());
        assertEquals(4, incoming.rangesTotal());
        assertEquals(summary.bytes(), incoming.bytesDone());
        assertTrue(targetSessions.bytesReceived() >= summary.bytes());
        StreamSessions.Info outgoing = sourceSessions.list().get(0);
        assertEquals(StreamSessions.Direction.OUTGOING, outgoing.direction());
        assertEquals("target", outgoing.peer());
        assertEquals(4, outgoing.rangesDone());
    }

    /** The streaming rate figure for docs/performance.md: ~16 MiB unthrottled, measured on a second, warm session. */
    @Test
    void measuresTheUnthrottledRate() throws Exception {
        byte[] big = new byte[4096];
        for (int p = 0; p < 16; p++) {
            PartitionUpdate.Builder b = PartitionUpdate.builder(T, key(2_000_000L + p));
            for (int c = 0; c < 256; c++) {
                big[0] = (byte) c;
                b.add(row(c, big.clone(), 500, 0));
            }
            write(source, b.build());
        }
        source.flush(T.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<TokenRange> all = List.of(new TokenRange(Long.MIN_VALUE, Long.MIN_VALUE));
        RangeFetcher f = fetcher();
        f.fetchRanges("warmup", sourceNode, "ks", all).toCompletableFuture().get(120, TimeUnit.SECONDS);
        for (int i = 0; i < 4; i++) {
            write(source, PartitionUpdate.builder(T, key(3_000_000L + i)).add(row(1, big, 600, 0)).build());
            source.flush(T.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        long t0 = System.nanoTime();
        RangeStreamer.StreamSummary s = f.fetchRanges("measure", sourceNode, "ks", all).toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("STREAM RATE: {} partitions, {} bytes in {} s = {} MiB/s (unthrottled, Artery loopback, group commit, "
                + "flush included)", s.partitions(), s.bytes(), String.format("%.2f", secs),
                String.format("%.1f", s.bytes() / secs / (1 << 20)));
        assertTrue(s.bytes() > 16 << 20);
    }

    @Test
    void aRetriedSessionSkipsTheRangesItFinished() throws Exception {
        load();
        RangeFetcher f = fetcher();
        f.fetchRanges("resume-1", sourceNode, "ks", RANGES.subList(0, 1)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        // new data in the finished range after it was streamed: a retry must not fetch that range again
        long late = 5000;
        while (!RANGES.get(0).contains(key(late).token())) {
            late++;
        }
        write(source, PartitionUpdate.builder(T, key(late)).add(row(1, new byte[]{9}, 1000, 0)).build());
        long inSecond = 6000;
        while (!RANGES.get(1).contains(key(inSecond).token())) {
            inSecond++;
        }
        write(source, PartitionUpdate.builder(T, key(inSecond)).add(row(1, new byte[]{9}, 1000, 0)).build());
        f.fetchRanges("resume-1", sourceNode, "ks", RANGES).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(partition(target, T, key(late)).isEmpty(), "the finished range was skipped");
        assertEquals(1, partition(target, T, key(inSecond)).size(), "the unfinished range was streamed");
        // a fresh session id streams everything again
        f.fetchRanges("resume-2", sourceNode, "ks", RANGES).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(1, partition(target, T, key(late)).size());
    }

    /** A stand-in source whose chunks are those of the real source, {@code tamper}ed with. */
    ActorRef<StreamServer.Command> fakeServer(Function<List<ByteString>, Source<ByteString, ?>> tamper) {
        return targetKit.spawn(Behaviors.receive(StreamServer.Command.class).onMessage(StreamServer.StreamRange.class, m -> {
            List<ByteString> chunks = new ArrayList<>();
            try (OutgoingRange out = new OutgoingRange(source.table(m.tableId()), new TokenRange(m.left(), m.right()),
                    4096, 4096)) {
                for (Optional<ByteString> c = out.nextChunk(); c.isPresent(); c = out.nextChunk()) {
                    chunks.add(c.get());
                }
            }
            m.replyTo().tell(new StreamServer.StreamOffer(tamper.apply(chunks)
                    .runWith(StreamRefs.sourceRef(), Materializer.matFromSystem(targetKit.system()))));
            return Behaviors.same();
        }).build());
    }

    @Test
    void rangesStreamInParallelAtMostParallelismPerSourceAndResumePerRange() throws Exception {
        load();
        List<TokenRange> four = List.of(new TokenRange(Long.MIN_VALUE, -(1L << 62)), new TokenRange(-(1L << 62), 0),
                new TokenRange(1L << 62, (1L << 62) + (1L << 61)), new TokenRange((1L << 62) + (1L << 61), Long.MAX_VALUE));
        java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        ActorRef<StreamServer.Command> counting = fakeServer(chunks -> {
            requests.incrementAndGet();
            most.accumulateAndGet(active.incrementAndGet(), Math::max);
            // each stream lasts a while, so that parallel ones overlap
            return Source.from(chunks).initialDelay(Duration.ofMillis(300))
                    .watchTermination((m, done) -> {
                        done.whenComplete((d, e) -> active.decrementAndGet());
                        return m;
                    });
        });
        RangeFetcher f = fetcher(n -> counting, StreamSettings.defaults().withThroughput(0).withParallelism(2));
        f.fetchRanges("parallel-1", sourceNode, "ks", four.subList(0, 1)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        int first = requests.get();
        assertEquals(2, first, "one range of the table and of system.paxos");
        f.fetchRanges("parallel-1", sourceNode, "ks", four).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(2 * 3, requests.get() - first, "the retry fetched only the 3 unfinished ranges of each table");
        assertEquals(2, most.get(), "ranges overlapped, never more than sibyl.streaming.parallelism per source");
        for (long k = 0; k < 200; k++) {
            long t = key(k).token();
            boolean in = four.stream().anyMatch(r -> r.contains(t));
            assertEquals(in ? partition(source, T, key(k)) : List.of(), partition(target, T, key(k)), "partition " + k);
        }
    }

    @Test
    void aCorruptChunkFailsTheSession() throws Exception {
        load();
        ActorRef<StreamServer.Command> fake = fakeServer(chunks -> {
            byte[] b = chunks.get(1).toArray();
            b[10] ^= 0x40;
            List<ByteString> bad = new ArrayList<>(chunks);
            bad.set(1, ByteString.fromArray(b));
            return Source.from(bad);
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> fetcher(n -> fake,
                StreamSettings.defaults()).fetchRanges("crc-1", sourceNode, "ks", RANGES).toCompletableFuture()
                .get(60, TimeUnit.SECONDS));
        assertInstanceOf(StreamException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("CRC mismatch in chunk 1"), e.getCause().getMessage());
        assertEquals(StreamSessions.State.FAILED, targetSessions.list().get(0).state());
        assertTrue(targetSessions.list().get(0).error().contains("CRC mismatch"));
    }

    @Test
    void aSourceThatStopsSendingFailsAfterTheIdleTimeout() throws Exception {
        load();
        ActorRef<StreamServer.Command> stuck = fakeServer(chunks -> Source.from(chunks.subList(0, 2))
                .concat(Source.maybe()));
        StreamSettings settings = new StreamSettings(0, 64 * 1024, 256 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> fetcher(n -> stuck, settings)
                .fetchRanges("stuck-1", sourceNode, "ks", RANGES).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("sent nothing for"), e.getCause().getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "failed fast");
    }

    @Test
    void aSourceThatDiesMidStreamFailsTheSessionWithoutWaitingForTheIdleTimeout() throws Exception {
        load();
        ActorTestKit dying = ActorTestKit.create("sibyl", remote());
        try {
            // throttled to 1 MiB/s, the ~4 MiB range takes seconds: time to kill the source's actor system
            ActorRef<StreamServer.Command> slow = dying.spawn(StreamServer.create(source,
                    StreamSettings.defaults().withThroughput(1 << 20), new StreamSessions()));
            String address = org.apache.pekko.actor.typed.ActorRefResolver.get(dying.system()).toSerializationFormat(slow);
            ActorRef<StreamServer.Command> remote = org.apache.pekko.actor.typed.ActorRefResolver.get(targetKit.system())
                    .resolveActorRef(address);
            var fetch = fetcher(n -> remote, StreamSettings.defaults()).fetchRanges("dies-1", sourceNode, "ks", RANGES)
                    .toCompletableFuture();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (targetSessions.list().isEmpty() || targetSessions.list().get(0).bytesDone() == 0) {
                assertTrue(System.nanoTime() < deadline, "the stream never started");
                Thread.sleep(20);
            }
            long t0 = System.nanoTime();
            dying.shutdownTestKit();
            ExecutionException e = assertThrows(ExecutionException.class, () -> fetch.get(25, TimeUnit.SECONDS));
            double secs = (System.nanoTime() - t0) / 1e9;
            log.info("source death detected after {} s: {}", String.format("%.1f", secs), e.getCause().getMessage());
            assertInstanceOf(StreamException.class, e.getCause());
            assertTrue(secs < 25, "failed before the 30 s idle timeout");
            assertEquals(StreamSessions.State.FAILED, targetSessions.list().get(0).state());
        } finally {
            if (!dying.system().getWhenTerminated().toCompletableFuture().isDone()) {
                dying.shutdownTestKit();
            }
        }
    }

    @Test
    void aSourceThatIsDownOrSilentFailsFast() throws Exception {
        RangeFetcher downByRing = new RangeFetcher(targetKit.system(), new LocalReplica(target), TARGET, id -> false,
                RangeFetcher.serverByPath(targetKit.system()), null, StreamSettings.defaults(), targetSessions);
        ExecutionException e = assertThrows(ExecutionException.class, () -> downByRing
                .fetchRanges("down-1", sourceNode, "ks", RANGES).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("is down"), e.getCause().getMessage());
        // a node the ring thinks alive but nobody answers at its address
        NodeInfo ghost = new NodeInfo(NodeId.of("ghost"), "127.0.0.1", 1, 1, "dc1", "rack1");
        StreamSettings quick = new StreamSettings(0, 64 * 1024, 256 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(1));
        ExecutionException e2 = assertThrows(ExecutionException.class, () -> fetcher(
                RangeFetcher.serverByPath(targetKit.system()), quick).fetchRanges("ghost-1", ghost, "ks", RANGES)
                .toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertTrue(e2.getCause().getMessage().contains("did not answer"), e2.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> fetcher().fetchRanges("../evil", sourceNode, "ks", RANGES)
                .toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
}
