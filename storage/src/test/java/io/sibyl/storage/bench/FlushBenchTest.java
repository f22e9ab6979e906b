package io.sibyl.storage.bench;

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
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.testutil.TestStreams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Scratch benchmark (run by hand with -Dflushbench=true): flush cost per row of the stress usertable. */
class FlushBenchTest {
    static final CqlType TEXT = CqlTypes.parse("text");

    @TempDir
    Path dir;

    @Test
    void flushCost() throws Exception {
        if (!Boolean.getBoolean("flushbench")) {
            return;
        }
        List<ColumnMetadata> cols = new ArrayList<>();
        cols.add(ColumnMetadata.partitionKey("y_id", TEXT, 0));
        for (int i = 0; i < 10; i++) {
            cols.add(ColumnMetadata.regular("field" + i, TEXT));
        }
        TableMetadata t = new TableMetadata("stress", "usertable", UUID.randomUUID(), cols, TableParams.DEFAULT);
        StorageEngine e = StorageEngine.open(dir, StorageSettings.defaults(), id -> id.equals(t.id()) ? t : null,
                TestStreams.materializer());
        e.createTable(t);
        SplittableRandom rnd = new SplittableRandom(1);
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 8; round++) {
            int n = 40_000;
            for (int k = 0; k < n; k++) {
                byte[] key = ("user" + rnd.nextLong()).getBytes(StandardCharsets.UTF_8);
                List<Cell> cells = new ArrayList<>();
                long ts = System.currentTimeMillis() * 1000;
                for (int i = 0; i < 10; i++) {
                    byte[] v = new byte[100];
                    for (int j = 0; j < 100; j++) {
                        v[j] = (byte) ('a' + rnd.nextInt(26));
                    }
                    cells.add(Cell.live("field" + i, v, ts));
                }
                e.apply(Mutation.of(PartitionUpdate.builder(t, new DecoratedKey(Murmur3Partitioner.token(key), key))
                        .add(Row.of(Clustering.EMPTY, LivenessInfo.create(ts, 0, 0), DeletionTime.LIVE, cells, Map.of()))
                        .build()));
            }
            long bytes = e.table(t.id()).currentMemtable().liveDataSize();
            long cpu0 = totalCpu(bean);
            long t0 = System.nanoTime();
            e.flush(t.id()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpu = totalCpu(bean) - cpu0;
            System.out.printf("round %d: %d rows, %d MiB memtable, %d ms wall, %.1f us CPU/row (all threads)%n", round, n,
                    bytes >> 20, ms, cpu / 1000.0 / n);
        }
        e.close();
    }

    static long totalCpu(com.sun.management.ThreadMXBean bean) {
        long s = 0;
        for (long id : bean.getAllThreadIds()) {
            long c = bean.getThreadCpuTime(id);
            if (c > 0) {
                s += c;
            }
        }
        return s;
    }
}
