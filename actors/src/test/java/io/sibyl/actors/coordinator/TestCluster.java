package io.sibyl.actors.coordinator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
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
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real nodes in one JVM: one ActorSystem each on a loopback Artery TCP port, each with its own
 * durable StorageEngine in a temp dir, LocalReplica and replica actor pool. Nodes 0-2 are in dc1
 * (racks r1-r3), nodes 3-4 in dc2 (r1, r2). The "mute" node runs an ActorSystem whose replica
 * actors swallow every request: alive in a ring view, never answering.
 *
 * <p>Keyspaces: {@code rf3} (SimpleStrategy 3), {@code rf1} (SimpleStrategy 1) and {@code nts}
 * (NetworkTopologyStrategy dc1:3, dc2:2), each with {@code kv (k bigint PRIMARY KEY, v bigint)}.
 */
public final class TestCluster implements AutoCloseable {

    public static final CqlType BIGINT = CqlTypes.parse("bigint");
    public static final TableMetadata RF3 = table("rf3", "00000000-0000-0000-0000-0000000000a3");
    static final TableMetadata RF1 = table("rf1", "00000000-0000-0000-0000-0000000000a1");
    static final TableMetadata NTS = table("nts", "00000000-0000-0000-0000-0000000000a5");
    /** An RF 1 table of its own for bulk writes, so that they do not show up in RangeScanTest's scans of RF1. */
    static final TableMetadata BULK = new TableMetadata("rf1", "bulk", UUID.fromString("00000000-0000-0000-0000-0000000000a2"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    /** A second RF=3 table that only the scan tests write, so scans see only their own keys. */
    static final TableMetadata SCAN = new TableMetadata("rf3", "scan", UUID.fromString("00000000-0000-0000-0000-0000000000b3"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    /** In every node's schema, but only nodes 0 and 1 have created its store: node 2 refuses it. */
    static final TableMetadata PARTIAL = new TableMetadata("rf3", "partial", UUID.fromString("00000000-0000-0000-0000-0000000000c3"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    /** RF=3 tables only the TRUNCATE and the repair tests use. */
    public static final TableMetadata TRUNC = rf3Table("trunc", "00000000-0000-0000-0000-0000000000d3");
    public static final TableMetadata REPAIR = rf3Table("repair", "00000000-0000-0000-0000-0000000000e3");
    public static final TableMetadata REPAIR_SUB = rf3Table("repair_sub", "00000000-0000-0000-0000-0000000000e4");
    public static final TableMetadata REPAIR_PR = rf3Table("repair_pr", "00000000-0000-0000-0000-0000000000e5");
    public static final Schema SCHEMA = new Schema(Map.of(
            "rf3", keyspace("rf3", Map.of("class", "SimpleStrategy", "replication_factor", "3"), RF3).withTable(SCAN)
                    .withTable(PARTIAL).withTable(TRUNC).withTable(REPAIR).withTable(REPAIR_SUB).withTable(REPAIR_PR),
            "rf1", keyspace("rf1", Map.of("class", "SimpleStrategy", "replication_factor", "1"), RF1).withTable(BULK),
            "nts", keyspace("nts", Map.of("class", "NetworkTopologyStrategy", "dc1", "3", "dc2", "2"), NTS)));
    public static final SchemaStore SCHEMA_STORE = new SchemaStore() {
        @Override
        public Schema current() {
            return SCHEMA;
        }

        @Override
        public CompletionStage<Schema> update(java.util.function.UnaryOperator<Schema> change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(java.util.function.Consumer<Schema> listener) {
        }
    };

    private static final String[] DCS = {"dc1", "dc1", "dc1", "dc2", "dc2"};
    private static final String[] RACKS = {"r1", "r2", "r3", "r1", "r2"};

    public record Node(ActorSystem<Void> system, NodeInfo info, List<Long> tokens, StorageEngine engine, LocalReplica replica) {
    }

    public final List<Node> nodes = new ArrayList<>();
    public Node mute;

    private static TableMetadata rf3Table(String name, String id) {
        return new TableMetadata("rf3", name, UUID.fromString(id),
                List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    }

    static TableMetadata table(String ks, String id) {
        return new TableMetadata(ks, "kv", UUID.fromString(id), List.of(
                ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    }

    private static KeyspaceMetadata keyspace(String name, Map<String, String> replication, TableMetadata t) {
        return new KeyspaceMetadata(name, replication, true, Map.of(t.name(), t));
    }

    static Config nodeConfig() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                pekko.remote.warn-about-direct-use = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                sibyl.replica.actors = 4
                """).withFallback(ConfigFactory.load());
    }

    private static TestCluster shared;

    /**
     * Five nodes and the mute one, started once per test JVM and shared by the test classes (each
     * class writes its own keys), stopped when the JVM exits.
     */
    public static synchronized TestCluster shared() throws Exception {
        if (shared == null) {
            Path dir = java.nio.file.Files.createTempDirectory("sibyl-coordinator-test");
            TestCluster c = start(5, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                c.close();
                deleteRecursively(dir);
            }));
            shared = c;
        }
        return shared;
    }

    private static void deleteRecursively(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: it is a temp dir
        }
    }

    static TestCluster start(int count, Path dir) throws Exception {
        TestCluster c = new TestCluster();
        for (int i = 0; i < count; i++) {
            c.nodes.add(c.startNode(i, dir.resolve("node" + i)));
        }
        c.mute = c.startMute();
        c.warmUp();
        return c;
    }

    private Node startNode(int i, Path dir) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sibyl", nodeConfig());
        StorageEngine engine = StorageEngine.open(dir, StorageSettings.defaults(),
                io.sibyl.actors.paxos.PaxosTable.withSystemTables(id -> SCHEMA.tableById(id)),
                Materializer.matFromSystem(system));
        engine.createTable(RF3);
        engine.createTable(RF1);
        engine.createTable(BULK);
        engine.createTable(NTS);
        engine.createTable(SCAN);
        engine.createTable(TRUNC);
        engine.createTable(REPAIR);
        engine.createTable(REPAIR_SUB);
        engine.createTable(REPAIR_PR);
        if (i < 2) {
            engine.createTable(PARTIAL);
        }
        LocalReplica replica = new LocalReplica(engine);
        ReplicaActors.spawn(system, replica, SCHEMA_STORE);
        List<Long> tokens = new ArrayList<>();
        java.util.Random random = new java.util.Random(1000 + i);
        for (int t = 0; t < 4; t++) {
            tokens.add(random.nextLong());
        }
        return new Node(system, info("n" + i, port(system), DCS[i], RACKS[i]), tokens, engine, replica);
    }

    // The first message to a peer opens the Artery connection (a TCP and an Artery handshake), which
    // on a loaded machine can take longer than the short request timeouts the tests use.
    private void warmUp() throws Exception {
        List<CompletableFuture<?>> pings = new ArrayList<>();
        for (Node from : nodes) {
            List<Node> all = new ArrayList<>(nodes);
            RingViewHolder view = view(from, all, Set.of());
            io.sibyl.actors.messaging.ReplicaClient client = new io.sibyl.actors.messaging.ReplicaClient(
                    from.system(), view, ReplicaActors.poolSize(from.system().settings().config()), 1000);
            SinglePartitionReadCommand cmd = readCommand(RF3, 0);
            for (Node to : nodes) {
                if (to != from) {
                    for (int i = 0; i < 4; i++) {
                        pings.add(client.send(to.info(), i, r -> new ReplicaActor.ReadDigest(cmd, r),
                                java.time.Duration.ofSeconds(20)).toCompletableFuture());
                    }
                }
            }
            // The mute node never answers; sending to it is enough to connect.
            client.replicaActor(mute.info(), 0).tell(new ReplicaActor.ReadDigest(cmd, from.system().ignoreRef()));
        }
        CompletableFuture.allOf(pings.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        Thread.sleep(200);
    }

    private Node startMute() {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sibyl", nodeConfig());
        for (int i = 0; i < ReplicaActors.poolSize(system.settings().config()); i++) {
            system.systemActorOf(Behaviors.<ReplicaActor.Command>ignore(), ReplicaActors.NAME_PREFIX + i, Props.empty());
        }
        return new Node(system, info("mute", port(system), "dc1", "r9"), List.of(Long.MAX_VALUE - 7), null, null);
    }

    private static int port(ActorSystem<?> system) {
        return ((ExtendedActorSystem) Adapter.toClassic(system)).provider().getDefaultAddress().getPort().get();
    }

    private static NodeInfo info(String id, int port, String dc, String rack) {
        return new NodeInfo(NodeId.of(id), "127.0.0.1", 9000, port, dc, rack);
    }

    /** A ring of {@code members} seen from {@code self}, with {@code down} marked DN. */
    public static RingViewHolder view(Node self, List<Node> members, Set<Node> down) {
        TokenRing ring = TokenRing.empty();
        Map<NodeId, NodeRecord> records = new HashMap<>();
        Map<NodeId, NodeState> states = new HashMap<>();
        for (Node n : members) {
            ring = ring.withNode(n.info(), n.tokens());
            records.put(n.info().id(), new NodeRecord(n.info(), n.tokens(), NodeStatus.NORMAL));
            states.put(n.info().id(), down.contains(n) ? NodeState.DN : NodeState.UN);
        }
        return new RingViewHolder(new RingView(1, self.info(), ring, records, states));
    }

    /** Coordinator timeouts short enough to keep the suite quick, long enough for a loaded 2-core machine. */
    static CoordinatorSettings fast() {
        return CoordinatorSettings.defaults().withWriteRequestTimeout(java.time.Duration.ofMillis(1500))
                .withReadRequestTimeout(java.time.Duration.ofMillis(1500));
    }

    /** Polls {@code condition} every 20 ms for up to 10 s; fails naming {@code what}. */
    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    static DistributedCoordinator coordinator(Node self, RingViewHolder view, HintSink hints, CoordinatorSettings settings) {
        return new DistributedCoordinator(self.system(), view, SCHEMA_STORE, self.replica(), hints, settings);
    }

    public static DecoratedKey key(long k) {
        byte[] bytes = BIGINT.serialize(k);
        return new DecoratedKey(Murmur3Partitioner.token(bytes), bytes);
    }

    public static Mutation put(TableMetadata table, long k, long v, long timestamp) {
        return Mutation.of(PartitionUpdate.builder(table, key(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(timestamp, 0, 100), DeletionTime.LIVE,
                        List.of(Cell.live("v", BIGINT.serialize(v), timestamp)), Map.of()))
                .build());
    }

    public static SinglePartitionReadCommand readCommand(TableMetadata table, long k) {
        return SinglePartitionReadCommand.fullPartition(table, key(k), (int) (System.currentTimeMillis() / 1000));
    }

    /** The value of {@code k} in a read result, or null. */
    public static Long value(ReadResult r) {
        if (r.filtered().isEmpty()) {
            return null;
        }
        Cell c = r.filtered().get(0).rows().get(0).cell("v");
        return c == null ? null : (Long) BIGINT.deserialize(c.value());
    }

    /** What {@code node} alone holds for {@code k}. */
    public static Long localValue(Node node, TableMetadata table, long k) {
        return value(node.replica().read(readCommand(table, k)));
    }

    /** A HintSink that records every hint and answers {@code stored}. */
    static final class RecordingHints implements HintSink {
        final ConcurrentLinkedQueue<Map.Entry<NodeId, Mutation>> hints = new ConcurrentLinkedQueue<>();
        final boolean stored;

        RecordingHints(boolean stored) {
            this.stored = stored;
        }

        @Override
        public CompletionStage<Boolean> store(NodeId target, Mutation mutation) {
            hints.add(Map.entry(target, mutation));
            return CompletableFuture.completedFuture(stored);
        }

        List<NodeId> targets() {
            return hints.stream().map(Map.Entry::getKey).toList();
        }
    }

    /** The stage's value, or its cause unwrapped. */
    public static <T> T await(CompletionStage<T> stage) throws Throwable {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            throw c;
        }
    }

    public static <T> Throwable failure(CompletionStage<T> stage) {
        try {
            await(stage);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    public static <T> T get(CompletionStage<T> stage) {
        try {
            return await(stage);
        } catch (Throwable t) {
            throw new AssertionError("expected success, got " + t, t);
        }
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (Node n : nodes) {
            n.engine().close();
            n.system().terminate();
            done.add(n.system().getWhenTerminated().toCompletableFuture());
        }
        if (mute != null) {
            mute.system().terminate();
            done.add(mute.system().getWhenTerminated().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <A, B> List<B> map(List<A> in, Function<A, B> f) {
        return in.stream().map(f).toList();
    }
}
