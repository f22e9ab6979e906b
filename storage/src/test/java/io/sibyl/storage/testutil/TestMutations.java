package io.sibyl.storage.testutil;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.token.Murmur3Partitioner;

import java.util.List;
import java.util.Map;

/** Small mutations for storage tests. */
public final class TestMutations {

    private TestMutations() {
    }

    /** A real Murmur3-decorated bigint key. */
    public static DecoratedKey murmurKey(long k) {
        byte[] b = TestTypes.bigint(k);
        return new DecoratedKey(Murmur3Partitioner.token(b), b);
    }

    /** {@code INSERT INTO kv (k, v) VALUES (k, v) USING TIMESTAMP ts}. */
    public static Mutation kv(TableMetadata kv, long k, long v, long ts) {
        return Mutation.of(kvUpdate(kv, k, v, ts));
    }

    public static PartitionUpdate kvUpdate(TableMetadata kv, long k, long v, long ts) {
        return PartitionUpdate.builder(kv, murmurKey(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(ts, 0, 1000), DeletionTime.LIVE,
                        List.of(Cell.live("v", TestTypes.bigint(v), ts)), Map.of()))
                .build();
    }

    /** A kv insert whose value is {@code size} bytes of blob-ish text. */
    public static Mutation kvPadded(TableMetadata kv, long k, int size, long ts) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) (k * 31 + i);
        }
        return Mutation.of(PartitionUpdate.builder(kv, murmurKey(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE,
                        List.of(Cell.live("v", value, ts)), Map.of()))
                .build());
    }
}
