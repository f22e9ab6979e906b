package io.sibyl.storage.testutil;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;

import java.util.List;
import java.util.UUID;

/** Table schemas shared by storage tests. */
public final class TestTables {

    private TestTables() {
    }

    /**
     * {@code CREATE TABLE ks.events (pk bigint, ck1 bigint, ck2 bigint, s bigint static, v1 bigint, v2 text,
     * tags set<bigint>, PRIMARY KEY (pk, ck1, ck2)) WITH CLUSTERING ORDER BY (ck1 ASC, ck2 DESC)}.
     */
    public static TableMetadata events() {
        return new TableMetadata("ks", "events", UUID.fromString("00000000-0000-0000-0000-000000000001"), List.of(
                ColumnMetadata.partitionKey("pk", TestTypes.BIGINT, 0),
                ColumnMetadata.clustering("ck1", TestTypes.BIGINT, 0, false),
                ColumnMetadata.clustering("ck2", TestTypes.BIGINT, 1, true),
                ColumnMetadata.staticColumn("s", TestTypes.BIGINT),
                ColumnMetadata.regular("v1", TestTypes.BIGINT),
                ColumnMetadata.regular("v2", TestTypes.TEXT),
                ColumnMetadata.regular("tags", TestTypes.SET_OF_BIGINT)), TableParams.DEFAULT);
    }

    /** {@code CREATE TABLE ks.kv (k bigint PRIMARY KEY, v bigint)}: no clustering columns. */
    public static TableMetadata kv() {
        return new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-000000000002"), List.of(
                ColumnMetadata.partitionKey("k", TestTypes.BIGINT, 0),
                ColumnMetadata.regular("v", TestTypes.BIGINT)), TableParams.DEFAULT);
    }

    /** A key whose token collides for pk and pk+3, to exercise ordering by key bytes within a token. */
    public static DecoratedKey key(long pk) {
        return new DecoratedKey(Math.floorMod(pk, 3) * 1000L - 1000L, TestTypes.bigint(pk));
    }
}
