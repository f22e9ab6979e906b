package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import java.util.concurrent.CompletionStage;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.LocalSchemaStore;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.ast.ColumnDefinition;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.SortOrder;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.RequestException;
import io.sibyl.app.http.ErrorMapper;
import io.sibyl.app.testing.OneNodeRing;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.types.CqlTypes;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One in-JVM node for executor tests: a schema store on a temp dir whose listener creates table
 * stores, a storage engine, the production coordinator on a one-node ring ({@link OneNodeRing}: so
 * conditional statements run Paxos), and a clock the test can move.
 */
final class TestDb {

    /**
     * The coordinator as it answers limits when replicas are remote: a read that returned exactly its row
     * limit says "limit reached" (the storage engine looks one row ahead and would say no), so the pager is
     * tested against both answers a coordinator may give.
     */
    private record ExactLimitCoordinator(Coordinator inner) implements ForwardingCoordinator {
        @Override
        public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
            return inner.read(command, cl).thenApply(r -> exact(r, command.limits().rows()));
        }

        @Override
        public CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
            return inner.scan(command, cl).thenApply(r -> exact(r, command.limits().rows()));
        }

        private static ReadResult exact(ReadResult r, int limit) {
            int rows = 0;
            for (var p : r.filtered()) {
                rows += Math.max(1, p.rows().size());
            }
            return r.limitReached() || rows < limit ? r
                    : new ReadResult(r.metadata(), r.filter(), r.nowInSec(), r.partitions(), r.stats(), true);
        }
    }


    /**
     * The coordinator as it answers when a replica's answer exceeds the inter-node message limit
     * ({@code sibyl.replica.max_response_bytes}): a READ_FAILURE whose reason is RESPONSE_TOO_LARGE.
     */
    private record SizeLimitCoordinator(Coordinator inner, long maxBytes) implements ForwardingCoordinator {
        @Override
        public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
            return inner.read(command, cl).thenApply(r -> check(r, cl));
        }

        @Override
        public CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
            return inner.scan(command, cl).thenApply(r -> check(r, cl));
        }

        private ReadResult check(ReadResult r, ConsistencyLevel cl) {
            long size = 0;
            for (var p : r.partitions()) {
                size += p.dataSize();
            }
            if (size > maxBytes) {
                throw new io.sibyl.actors.consistency.ReadFailureException(cl, 0, 1, Map.of(
                        new io.sibyl.actors.ring.NodeId("remote-replica"),
                        io.sibyl.actors.consistency.ReadFailureException.RESPONSE_TOO_LARGE_PREFIX
                                + " read result of about " + size + " bytes exceeds the " + maxBytes + "-byte limit"));
            }
            return r;
        }
    }

    final LocalSchemaStore schema;
    final StorageEngine engine = TestEngine.inTempDir();
    final AtomicLong millis = new AtomicLong(1_763_683_200_000L);
    final CqlContext context;
    final QueryProcessor processor;

    TestDb(Path dir) {
        this(dir, 1 << 20, 5000);
    }

    TestDb(Path dir, long maxValueBytes, int defaultPageSize) {
        this(dir, maxValueBytes, defaultPageSize, 0);
    }

    /** @param maxResponseBytes above 0: reads whose answer is larger fail as a remote replica's would */
    TestDb(Path dir, long maxValueBytes, int defaultPageSize, long maxResponseBytes) {
        schema = LocalSchemaStore.open(dir);
        schema.addListener(s -> s.keyspaces().values().forEach(ks -> ks.tables().values().forEach(t -> {
            if (engine.tableOrNull(t.id()) == null) {
                engine.createTable(t);
            } else {
                engine.updateTable(t);
            }
        })));
        LocalReplica replica = new LocalReplica(engine);
        Coordinator coordinator = new ExactLimitCoordinator(OneNodeRing.coordinator(schema, replica));
        if (maxResponseBytes > 0) {
            coordinator = new SizeLimitCoordinator(coordinator, maxResponseBytes);
        }
        context = new CqlContext(schema, coordinator, new MicrosClock(millis::get), maxValueBytes, defaultPageSize);
        processor = new QueryProcessor(context, 1000);
    }

    void keyspace(String name) {
        keyspace(name, 1);
    }

    void keyspace(String name, int rf) {
        schema.update(s -> s.with(new KeyspaceMetadata(name,
                Map.of("class", "SimpleStrategy", "replication_factor", String.valueOf(rf)), true, Map.of())))
                .toCompletableFuture().join();
    }

    /** Creates a table from CQL DDL (a test stand-in for the DDL executor). */
    TableMetadata table(String ddl) {
        CreateTable ct = (CreateTable) CqlParser.parse(ddl);
        List<ColumnMetadata> cols = new ArrayList<>();
        for (ColumnDefinition d : ct.columns()) {
            int pk = ct.partitionKey().indexOf(d.name());
            int ck = ct.clusteringKey().indexOf(d.name());
            if (pk >= 0) {
                cols.add(ColumnMetadata.partitionKey(d.name(), CqlTypes.parse(d.type()), pk));
            } else if (ck >= 0) {
                boolean desc = ct.clusteringOrder().stream()
                        .anyMatch(o -> o.column().equals(d.name()) && o.order() == SortOrder.DESC);
                cols.add(ColumnMetadata.clustering(d.name(), CqlTypes.parse(d.type()), ck, desc));
            } else if (d.isStatic()) {
                cols.add(ColumnMetadata.staticColumn(d.name(), CqlTypes.parse(d.type())));
            } else {
                cols.add(ColumnMetadata.regular(d.name(), CqlTypes.parse(d.type())));
            }
        }
        TableParams params = TableParams.DEFAULT;
        Term ttl = ct.options().get("default_time_to_live");
        if (ttl instanceof Literal lit) {
            params = params.withDefaultTimeToLive(((BigInteger) lit.value()).intValue());
        }
        String ks = ct.table().keyspace();
        TableMetadata t = new TableMetadata(ks, ct.table().name(), UUID.randomUUID(), cols, params);
        schema.update(s -> s.with(s.keyspace(ks).withTable(t))).toCompletableFuture().join();
        return t;
    }

    static QueryRequest request(String cql, Object values) {
        return new QueryRequest(cql, values, null, ConsistencyLevel.ONE, ConsistencyLevel.SERIAL, 0, null, null);
    }

    QueryResult exec(String cql, Object... values) {
        return run(request(cql, values.length == 0 ? null : Arrays.asList(values)));
    }

    QueryResult run(QueryRequest request) {
        try {
            return processor.execute(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = ErrorMapper.unwrap(e.getCause());
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> rows(String cql, Object... values) {
        return exec(cql, values).rows();
    }

    /** The API error a statement fails with. */
    ErrorMapper.ApiError error(String cql, Object... values) {
        try {
            exec(cql, values);
        } catch (RuntimeException e) {
            return ErrorMapper.toError(e, "test");
        }
        throw new AssertionError("expected an error from: " + cql);
    }

    /** The INVALID message a statement fails with. */
    String invalid(String cql, Object... values) {
        ErrorMapper.ApiError e = error(cql, values);
        if (!e.code().equals("INVALID")) {
            throw new AssertionError("expected INVALID but got " + e.code() + ": " + e.message());
        }
        return e.message();
    }

    void advanceSeconds(long s) {
        millis.addAndGet(s * 1000);
    }

    /** All rows of a query, following paging states with the given page size. */
    List<Map<String, Object>> allPages(String cql, int pageSize, List<Object> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        String state = null;
        int pages = 0;
        do {
            QueryResult r = run(new QueryRequest(cql, values, null, ConsistencyLevel.ONE, ConsistencyLevel.SERIAL,
                    pageSize, state, null));
            if (r.rows().size() > pageSize) {
                throw new AssertionError("page larger than page size: " + r.rows().size());
            }
            out.addAll(r.rows());
            state = r.pagingState();
            if (state != null && r.rows().isEmpty()) {
                throw new AssertionError("empty page with a paging state");
            }
            if (++pages > 100_000) {
                throw new AssertionError("too many pages");
            }
        } while (state != null);
        return out;
    }

    static RequestException unwrap(Throwable t) {
        return (RequestException) ErrorMapper.unwrap(t);
    }
}
