package io.sibyl.actors.messaging;

import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.BallotGenerator;
import io.sibyl.actors.paxos.PrepareResponse;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.ReplicaActor;
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
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every replica protocol message survives the inter-node encoding; unknown tables become explicit failures. */
class ReplicaMessageSerializerTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-0000000000c1"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.clustering("c", BIGINT, 0, false),
                    ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    static final TableMetadata DROPPED = new TableMetadata("ks", "gone", UUID.fromString("00000000-0000-0000-0000-0000000000c2"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);

    private static ActorSystem<Void> system;
    private static ReplicaMessageSerializer serializer;
    private static ActorRef<ReplicaActor.Reply> replyTo;

    private static synchronized void init() {
        if (system != null) {
            return;
        }
        system = ActorSystem.create(Behaviors.empty(), "serializer-test",
                ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
        Schema schema = new Schema(Map.of("ks", new KeyspaceMetadata("ks", Map.of("class", "SimpleStrategy",
                "replication_factor", "1"), true, Map.of("kv", KV))));
        SchemaLookup.get(system).use(new SchemaStore() {
            @Override
            public Schema current() {
                return schema;
            }

            @Override
            public CompletionStage<Schema> update(java.util.function.UnaryOperator<Schema> change) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void addListener(java.util.function.Consumer<Schema> listener) {
            }
        });
        // The binding in reference.conf picks this serializer for the whole protocol.
        var serialization = SerializationExtension.get(Adapter.toClassic(system));
        assertInstanceOf(ReplicaMessageSerializer.class, serialization.findSerializerFor(ReplicaActor.MutateAck.INSTANCE));
        assertInstanceOf(ReplicaMessageSerializer.class, serialization.findSerializerFor(
                new ReplicaActor.ReplicaFailure(ReplicaActor.FailureReason.ERROR, "x")));
        serializer = new ReplicaMessageSerializer((ExtendedActorSystem) Adapter.toClassic(system));
        replyTo = system.systemActorOf(Behaviors.<ReplicaActor.Reply>ignore(), "reply-to",
                org.apache.pekko.actor.typed.Props.empty());
    }

    @AfterContainer
    static void stop() {
        if (system != null) {
            system.terminate();
        }
    }

    static ActorRef<ReplicaActor.Reply> ref() {
        init();
        return replyTo;
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T message) {
        init();
        byte[] bytes = serializer.toBinary(message);
        try {
            return (T) serializer.fromBinary(bytes, serializer.manifest(message));
        } catch (java.io.NotSerializableException e) {
            throw new AssertionError(e);
        }
    }

    static DecoratedKey key(long k) {
        byte[] b = BIGINT.serialize(k);
        return new DecoratedKey(io.sibyl.storage.token.Murmur3Partitioner.token(b), b);
    }

    static PartitionUpdate update(TableMetadata t, long k, List<Long> clusterings, long ts, int ttl) {
        var b = PartitionUpdate.builder(t, key(k));
        for (long c : clusterings) {
            Clustering cl = t.clusteringComparator().size() == 0 ? Clustering.EMPTY : Clustering.of(BIGINT.serialize(c));
            b.add(Row.of(cl, LivenessInfo.create(ts, ttl, 1000), DeletionTime.LIVE,
                    List.of(ttl == 0 ? Cell.live("v", BIGINT.serialize(c * 3), ts)
                            : Cell.expiring("v", null, BIGINT.serialize(c * 3), ts, ttl, 1000)), Map.of()));
        }
        if (clusterings.isEmpty()) {
            b.deletePartition(new DeletionTime(ts, 1000));
        }
        return b.build();
    }

    @Provide
    Arbitrary<List<Long>> clusterings() {
        return Arbitraries.longs().between(-50, 50).list().ofMaxSize(8).uniqueElements();
    }

    @Property(tries = 100)
    void mutationsRoundTrip(@ForAll long k, @ForAll("clusterings") List<Long> cs,
                            @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 1L << 52) long ts,
                            @ForAll @IntRange(min = 0, max = 1000) int ttl) {
        Mutation m = Mutation.of(update(KV, k, cs, ts, ttl));
        ReplicaActor.Mutate back = roundTrip(new ReplicaActor.Mutate(m, ref()));
        assertEquals(m, back.mutation());
        assertEquals(ref(), back.replyTo());
    }

    @Property(tries = 30)
    void handedOverHintsRoundTrip(@ForAll long k, @ForAll("clusterings") List<Long> cs) {
        Mutation m = Mutation.of(update(KV, k, cs, 10, 0));
        ReplicaActor.StoreHint back = roundTrip(new ReplicaActor.StoreHint(io.sibyl.actors.ring.NodeId.of("n-" + k), m, ref()));
        assertEquals(io.sibyl.actors.ring.NodeId.of("n-" + k), back.target());
        assertEquals(m, back.mutation());
        assertEquals(ref(), back.replyTo());
        ReplicaActor.Command unknown = roundTrip(new ReplicaActor.StoreHint(io.sibyl.actors.ring.NodeId.of("x"),
                Mutation.of(update(DROPPED, k, List.of(), 5, 0)), ref()));
        assertInstanceOf(ReplicaActor.Undecodable.class, unknown);
    }

    @Property(tries = 100)
    void readCommandsRoundTrip(@ForAll long k, @ForAll @IntRange(min = 1) int limit, @ForAll boolean reversed,
                               @ForAll int now) {
        SinglePartitionReadCommand c = new SinglePartitionReadCommand(KV, key(k), ClusteringFilter.ALL.withReversed(reversed),
                now, DataLimits.rows(limit));
        ReplicaActor.ReadData data = roundTrip(new ReplicaActor.ReadData(c, ref()));
        ReplicaActor.ReadDigest digest = roundTrip(new ReplicaActor.ReadDigest(c, ref()));
        for (SinglePartitionReadCommand back : List.of(data.command(), digest.command())) {
            assertEquals(c.key(), back.key());
            assertEquals(c.filter(), back.filter());
            assertEquals(c.limits(), back.limits());
            assertEquals(c.nowInSec(), back.nowInSec());
            assertEquals(KV, back.metadata());
        }
        assertEquals(ref(), digest.replyTo());
        PartitionRangeReadCommand range = new PartitionRangeReadCommand(KV, KeyRange.fromKey(key(k), false, k),
                ClusteringFilter.ALL, now, DataLimits.perPartition(limit));
        ReplicaActor.RangeRead rr = roundTrip(new ReplicaActor.RangeRead(range, ref()));
        assertEquals(range.range().start(), rr.command().range().start());
        assertEquals(range.range().end(), rr.command().range().end());
        assertEquals(range.limits(), rr.command().limits());
    }

    @Property(tries = 60)
    void paxosMessagesRoundTrip(@ForAll long k, @ForAll("clusterings") List<Long> cs,
                                @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 1L << 50) long micros,
                                @ForAll long lowBits, @ForAll boolean promised, @ForAll boolean withAccepted,
                                @ForAll boolean withCommit) {
        Ballot ballot = BallotGenerator.of(micros, lowBits);
        Proposal proposal = Proposal.of(ballot, update(KV, k, cs, 1, 0));
        ReplicaActor.PaxosPrepare prepare = roundTrip(new ReplicaActor.PaxosPrepare(KV, key(k), ballot, ref()));
        assertEquals(new ReplicaActor.PaxosPrepare(KV, key(k), ballot, ref()), prepare);
        assertEquals(proposal, roundTrip(new ReplicaActor.PaxosPropose(proposal, ref())).proposal());
        assertEquals(proposal, roundTrip(new ReplicaActor.PaxosCommit(proposal, ref())).proposal());
        assertEquals(ref(), roundTrip(new ReplicaActor.PaxosCommit(proposal, ref())).replyTo());
        Proposal older = Proposal.of(BallotGenerator.of(Math.max(0, micros - 5), lowBits), update(KV, k + 1, List.of(1L), 1, 0));
        PrepareResponse r = new PrepareResponse(promised, ballot, withAccepted ? proposal : null, withCommit ? older : null);
        assertEquals(new ReplicaActor.PaxosPromise(r), roundTrip(new ReplicaActor.PaxosPromise(r)));
        assertEquals(ReplicaActor.PaxosAccepted.YES, roundTrip(ReplicaActor.PaxosAccepted.YES));
        assertEquals(ReplicaActor.PaxosAccepted.NO, roundTrip(ReplicaActor.PaxosAccepted.NO));
        // A proposal for a table this node does not know is answered, not dropped.
        Proposal unknown = Proposal.of(ballot, update(DROPPED, k, List.of(), 1, 0));
        assertInstanceOf(ReplicaActor.Undecodable.class, roundTrip(new ReplicaActor.PaxosPropose(unknown, ref())));
        assertInstanceOf(ReplicaActor.Undecodable.class, roundTrip(new ReplicaActor.PaxosPrepare(DROPPED, key(k), ballot, ref())));
        assertInstanceOf(ReplicaActor.ReplicaFailure.class,
                roundTrip(new ReplicaActor.PaxosPromise(new PrepareResponse(true, ballot, unknown, null))));
    }

    @Property(tries = 60)
    void repliesRoundTrip(@ForAll("clusterings") List<Long> cs, @ForAll byte[] digest, @ForAll String message,
                          @ForAll @IntRange(min = 1, max = 20) int limit) {
        Memtable m = new Memtable(KV);
        List<PartitionUpdate> written = new ArrayList<>();
        for (long k = 0; k < 3; k++) {
            PartitionUpdate u = update(KV, k, cs, 10 + k, 0);
            m.apply(u);
            written.add(u);
        }
        ReadResult r = PartitionRangeReadCommand.all(KV, 100).execute(List.of(m));
        ReplicaActor.DataResponse back = roundTrip(new ReplicaActor.DataResponse(r));
        assertEquals(r.partitions(), back.result().partitions());
        assertArrayEquals(r.digest(), back.result().digest());
        assertEquals(r.filtered().size(), back.result().filtered().size());
        assertEquals(new ReplicaActor.DigestResponse(digest), roundTrip(new ReplicaActor.DigestResponse(digest)));
        assertEquals(ReplicaActor.MutateAck.INSTANCE, roundTrip(ReplicaActor.MutateAck.INSTANCE));
        for (ReplicaActor.FailureReason reason : ReplicaActor.FailureReason.values()) {
            ReplicaActor.ReplicaFailure f = new ReplicaActor.ReplicaFailure(reason, message);
            assertEquals(f, roundTrip(f));
        }
        assertTrue(written.size() == 3);
    }

    @Property(tries = 10)
    void requestsForUnknownTablesBecomeExplicitFailures(@ForAll long k) {
        ReplicaActor.Command mutate = roundTrip(new ReplicaActor.Mutate(Mutation.of(update(DROPPED, k, List.of(), 5, 0)), ref()));
        assertInstanceOf(ReplicaActor.Undecodable.class, mutate);
        assertEquals(ref(), mutate.replyTo());
        ReplicaActor.Command read = roundTrip(new ReplicaActor.ReadDigest(
                SinglePartitionReadCommand.fullPartition(DROPPED, key(k), 5), ref()));
        assertInstanceOf(ReplicaActor.Undecodable.class, read);
        ReplicaActor.Reply reply = roundTrip(new ReplicaActor.DataResponse(
                PartitionRangeReadCommand.all(DROPPED, 5).execute(List.of())));
        assertInstanceOf(ReplicaActor.ReplicaFailure.class, reply);
        assertEquals(ReplicaActor.FailureReason.UNKNOWN_TABLE, ((ReplicaActor.ReplicaFailure) reply).reason());
    }

    @Property(tries = 30)
    void batchlogMessagesRoundTripWithoutTheHolderKnowingTheTables(@ForAll("clusterings") List<Long> cs,
                                                                   @ForAll @IntRange(min = 1, max = 5) int partitions) {
        List<Mutation> ms = new ArrayList<>();
        for (long k = 0; k < partitions; k++) {
            ms.add(Mutation.of(update(KV, k, cs, 10 + k, 0)));
        }
        // A batch of a table this node does not know still travels: the holder keeps its bytes.
        ms.add(Mutation.of(update(DROPPED, 99, cs, 7, 0)));
        io.sibyl.actors.batchlog.Batch batch = io.sibyl.actors.batchlog.Batch.of(ms);
        ReplicaActor.StoreBatch store = roundTrip(new ReplicaActor.StoreBatch(batch, ref()));
        assertEquals(batch, store.batch());
        assertEquals(ref(), store.replyTo());
        ReplicaActor.RemoveBatch remove = roundTrip(new ReplicaActor.RemoveBatch(batch.id(), ref()));
        assertEquals(new ReplicaActor.RemoveBatch(batch.id(), ref()), remove);
    }

    @Property(tries = 30)
    void truncateAndRepairMessagesRoundTrip(@ForAll("clusterings") List<Long> cs, @ForAll long start, @ForAll long end,
                                            @ForAll @IntRange(min = 0, max = 6) int depth, @ForAll int now) {
        net.jqwik.api.Assume.that(start == end || Long.compareUnsigned(end - start, 1L << depth) >= 0);
        ReplicaActor.Truncate t = roundTrip(new ReplicaActor.Truncate(KV.id(), ref()));
        assertEquals(KV.id(), t.tableId());
        assertEquals(ref(), t.replyTo());
        assertEquals(ReplicaActor.TruncateAck.INSTANCE, roundTrip(ReplicaActor.TruncateAck.INSTANCE));

        io.sibyl.storage.repair.TokenSubrange range = new io.sibyl.storage.repair.TokenSubrange(start, end);
        ReplicaActor.BuildMerkleTree b = new ReplicaActor.BuildMerkleTree(KV.id(), range, depth, now, ref());
        assertEquals(b, roundTrip(b));

        Memtable m = new Memtable(KV);
        List<Mutation> batch = new ArrayList<>();
        for (long k = 0; k < 20; k++) {
            PartitionUpdate u = update(KV, k, cs, 10 + k, 0);
            m.apply(u);
            batch.add(Mutation.of(u));
        }
        io.sibyl.storage.repair.MerkleTree tree = io.sibyl.storage.repair.MerkleTreeBuilder.build(range, depth,
                keys -> new PartitionRangeReadCommand(KV, keys, ClusteringFilter.ALL, 100, DataLimits.NONE)
                        .execute(List.of(m)).partitions());
        ReplicaActor.MerkleTreeResponse tr = roundTrip(new ReplicaActor.MerkleTreeResponse(tree));
        assertArrayEquals(tree.root(), tr.tree().root());
        assertEquals(tree.range(), tr.tree().range());
        assertEquals(tree.depth(), tr.tree().depth());

        ReplicaActor.ApplyBatch ab = roundTrip(new ReplicaActor.ApplyBatch(batch, ref()));
        assertEquals(batch, ab.mutations());
        PartitionRangeReadCommand rc = new PartitionRangeReadCommand(KV, KeyRange.tokens(-5, 5), ClusteringFilter.ALL,
                now, DataLimits.NONE);
        ReplicaActor.RepairRead rr = roundTrip(new ReplicaActor.RepairRead(rc, ref()));
        assertEquals(rc.range(), rr.command().range());
        assertEquals(rc.nowInSec(), rr.command().nowInSec());

        List<Mutation> withUnknown = new ArrayList<>(batch);
        withUnknown.add(Mutation.of(update(DROPPED, 1, List.of(), 5, 0)));
        assertInstanceOf(ReplicaActor.Undecodable.class, roundTrip(new ReplicaActor.ApplyBatch(withUnknown, ref())));
    }
}
