package io.sibyl.app.cql.exec;

import static io.sibyl.app.cql.exec.ModificationExecutorTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.storage.data.Mutation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchExecutorTest {

    @TempDir
    Path dir;
    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dir);
        db.keyspace("ks");
        db.table("CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c))");
        db.table("CREATE TABLE ks.u (k int PRIMARY KEY, n int)");
    }

    @Test
    void loggedAndUnloggedBatchesWriteEverything() {
        db.exec("BEGIN BATCH INSERT INTO ks.t (k, c, v) VALUES (1, 1, 'a'); UPDATE ks.t SET v = 'b' WHERE k = 1 AND c = 2; "
                + "INSERT INTO ks.u (k, n) VALUES (1, 5); DELETE FROM ks.t WHERE k = 2 AND c = 0; APPLY BATCH");
        assertEquals(List.of(row("c", 1, "v", "a"), row("c", 2, "v", "b")), db.rows("SELECT c, v FROM ks.t WHERE k = 1"));
        assertEquals(List.of(row("k", 1, "n", 5)), db.rows("SELECT * FROM ks.u"));
        db.exec("BEGIN UNLOGGED BATCH INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?); INSERT INTO ks.t (k, c, v) "
                + "VALUES (?, ?, ?); APPLY BATCH", 3, 1, "x", 4, 1, "y");
        assertEquals(2, db.rows("SELECT * FROM ks.t WHERE k IN (3, 4)").size());
    }

    @Test
    void batchTimestampAppliesToEveryStatement() {
        db.exec("BEGIN BATCH USING TIMESTAMP 777 INSERT INTO ks.u (k, n) VALUES (1, 1); "
                + "INSERT INTO ks.u (k, n) VALUES (2, 2); APPLY BATCH");
        assertEquals(List.of(777L, 777L), db.rows("SELECT writetime(n) FROM ks.u").stream()
                .map(r -> r.get("writetime(n)")).toList());
        assertEquals("Timestamp must be set either on BATCH or individual statements",
                db.invalid("BEGIN BATCH USING TIMESTAMP 1 INSERT INTO ks.u (k, n) VALUES (1, 1) USING TIMESTAMP 2; "
                        + "APPLY BATCH"));
    }

    @Test
    void rejectedBatchWritesNothing() {
        String message = db.invalid("BEGIN BATCH INSERT INTO ks.u (k, n) VALUES (1, 1); "
                + "INSERT INTO ks.u (k, n) VALUES (2, 'two'); APPLY BATCH");
        assertEquals("Invalid STRING constant (two) for \"n\" of type int", message);
        assertEquals("unconfigured table nope", db.invalid("BEGIN BATCH INSERT INTO ks.u (k, n) VALUES (1, 1); "
                + "INSERT INTO ks.nope (k) VALUES (1); APPLY BATCH"));
        assertEquals("Some clustering keys are missing: c", db.invalid("BEGIN BATCH INSERT INTO ks.u (k, n) VALUES (1, 1); "
                + "UPDATE ks.t SET v = 'x' WHERE k = 1; APPLY BATCH"));
        assertTrue(db.rows("SELECT * FROM ks.u").isEmpty());
        assertTrue(db.rows("SELECT * FROM ks.t").isEmpty());
        assertEquals("Counter batches are not supported: Sibyl has no counter columns",
                db.invalid("BEGIN COUNTER BATCH UPDATE ks.u SET n = 1 WHERE k = 1; APPLY BATCH"));
    }

    @Test
    void samePartitionWritesAreMergedIntoOneMutation() {
        List<List<Mutation>> writes = new ArrayList<>();
        List<WriteType> types = new ArrayList<>();
        Coordinator real = db.context.coordinator();
        Coordinator spy = new ForwardingCoordinator() {
            @Override
            public Coordinator inner() {
                return real;
            }

            @Override
            public CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
                writes.add(mutations);
                types.add(writeType);
                return real.write(mutations, cl, writeType);
            }
        };
        CqlContext ctx = new CqlContext(db.schema, spy, db.context.clock(), 1 << 20, 100);
        QueryProcessor p = new QueryProcessor(ctx, 10);
        p.execute(TestDb.request("BEGIN BATCH INSERT INTO ks.t (k, c, v) VALUES (1, 1, 'a'); "
                + "INSERT INTO ks.t (k, c, v) VALUES (1, 2, 'b'); INSERT INTO ks.u (k, n) VALUES (1, 1); "
                + "INSERT INTO ks.t (k, c, v) VALUES (2, 1, 'c'); APPLY BATCH", null)).toCompletableFuture().join();
        assertEquals(1, writes.size());
        assertEquals(WriteType.BATCH, types.get(0));
        List<Mutation> ms = writes.get(0);
        assertEquals(2, ms.size(), "ks/k=1 (two tables, one mutation) and ks/k=2");
        assertEquals(2, ms.get(0).updates().size());
        assertEquals(2, ms.get(0).updates().get(0).rows().size());
        p.execute(TestDb.request("BEGIN UNLOGGED BATCH INSERT INTO ks.u (k, n) VALUES (5, 1); APPLY BATCH", null))
                .toCompletableFuture().join();
        assertEquals(WriteType.UNLOGGED_BATCH, types.get(1));
    }

    @Test
    void conditionalBatches() {
        QueryResult ok = db.exec("BEGIN BATCH INSERT INTO ks.t (k, c, v) VALUES (1, 1, 'a') IF NOT EXISTS; "
                + "INSERT INTO ks.t (k, c, v) VALUES (1, 2, 'b'); APPLY BATCH");
        assertEquals(Boolean.TRUE, ok.applied());
        QueryResult no = db.exec("BEGIN BATCH UPDATE ks.t SET v = 'z' WHERE k = 1 AND c = 1 IF v = 'nope'; "
                + "INSERT INTO ks.t (k, c, v) VALUES (1, 3, 'c'); APPLY BATCH");
        assertEquals(Boolean.FALSE, no.applied());
        assertEquals(List.of(row("[applied]", false, "k", 1, "c", 1, "v", "a")), no.rows());
        assertEquals(2, db.rows("SELECT * FROM ks.t WHERE k = 1").size(), "nothing of a failed batch is written");
        assertEquals("Batch with conditions cannot span multiple partitions",
                db.invalid("BEGIN BATCH INSERT INTO ks.t (k, c, v) VALUES (1, 9, 'a') IF NOT EXISTS; "
                        + "INSERT INTO ks.t (k, c, v) VALUES (2, 9, 'b'); APPLY BATCH"));
        assertEquals("Batch with conditions cannot span multiple tables",
                db.invalid("BEGIN BATCH INSERT INTO ks.t (k, c, v) VALUES (1, 9, 'a') IF NOT EXISTS; "
                        + "INSERT INTO ks.u (k, n) VALUES (1, 1); APPLY BATCH"));
    }
}
