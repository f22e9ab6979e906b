package io.sibyl.actors.replica;

import com.typesafe.config.ConfigFactory;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replica actor answers every request, failures included. */
class ReplicaActorTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-0000000000d1"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    static final TableMetadata MISSING = new TableMetadata("ks", "missing", UUID.fromString("00000000-0000-0000-0000-0000000000d2"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);

    static ActorTestKit kit;
    static LocalReplica replica;
    static ActorRef<ReplicaActor.Command> actor;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create(ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
        StorageEngine engine = TestEngine.inTempDir();
        engine.createTable(KV);
        replica = new LocalReplica(engine);
        actor = kit.spawn(ReplicaActor.create(replica, Runnable::run, 2000));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static Mutation put(TableMetadata t, long k, int size) {
        byte[] key = BIGINT.serialize(k);
        var b = PartitionUpdate.builder(t, new DecoratedKey(Murmur3Partitioner.token(key), key));
        b.add(Row.of(Clustering.EMPTY, LivenessInfo.create(5, 0, 100), DeletionTime.LIVE,
                List.of(Cell.live("v", new byte[size], 5)), Map.of()));
        return Mutation.of(b.build());
    }

    @Test
    void mutationsAreAckedOnceApplied() {
        TestProbe<ReplicaActor.Reply> probe = kit.createTestProbe();
        Mutation m = put(KV, 1, 8);
        actor.tell(new ReplicaActor.Mutate(m, probe.ref()));
        probe.expectMessage(ReplicaActor.MutateAck.INSTANCE);
        SinglePartitionReadCommand read = SinglePartitionReadCommand.fullPartition(KV, m.key(), 100);
        assertEquals(1, replica.read(read).filtered().size());

        actor.tell(new ReplicaActor.ReadData(read, probe.ref()));
        var data = probe.expectMessageClass(ReplicaActor.DataResponse.class);
        assertEquals(m.updates(), data.result().partitions());
        actor.tell(new ReplicaActor.ReadDigest(read, probe.ref()));
        assertArrayEquals(data.result().digest(), probe.expectMessageClass(ReplicaActor.DigestResponse.class).digest());
        actor.tell(new ReplicaActor.RangeRead(PartitionRangeReadCommand.all(KV, 100), probe.ref()));
        assertTrue(probe.expectMessageClass(ReplicaActor.DataResponse.class).result().partitions().size() >= 1);
    }

    @Test
    void failuresAreAnsweredNotSwallowed() {
        TestProbe<ReplicaActor.Reply> probe = kit.createTestProbe();
        actor.tell(new ReplicaActor.Mutate(put(MISSING, 1, 8), probe.ref()));
        assertEquals(ReplicaActor.FailureReason.UNKNOWN_TABLE, probe.expectMessageClass(ReplicaActor.ReplicaFailure.class).reason());
        actor.tell(new ReplicaActor.ReadDigest(SinglePartitionReadCommand.fullPartition(MISSING, put(MISSING, 1, 1).key(), 1),
                probe.ref()));
        assertEquals(ReplicaActor.FailureReason.UNKNOWN_TABLE, probe.expectMessageClass(ReplicaActor.ReplicaFailure.class).reason());
        actor.tell(new ReplicaActor.Undecodable("no such table", probe.ref()));
        assertEquals("no such table", probe.expectMessageClass(ReplicaActor.ReplicaFailure.class).message());

        Mutation big = put(KV, 2, 5000);
        actor.tell(new ReplicaActor.Mutate(big, probe.ref()));
        probe.expectMessage(ReplicaActor.MutateAck.INSTANCE);
        actor.tell(new ReplicaActor.ReadData(SinglePartitionReadCommand.fullPartition(KV, big.key(), 100), probe.ref()));
        assertEquals(ReplicaActor.FailureReason.RESPONSE_TOO_LARGE,
                probe.expectMessageClass(ReplicaActor.ReplicaFailure.class).reason());
    }
}
