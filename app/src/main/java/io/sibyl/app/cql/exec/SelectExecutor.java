package io.sibyl.app.cql.exec;

import io.sibyl.actors.coordinator.CasDecision;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.read.ClusteringFilter;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.SortOrder;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SELECT: binds and checks the WHERE clause as Cassandra would (what needs ALLOW FILTERING, what ORDER
 * BY and DISTINCT allow), builds a {@link ReadPlan} and runs one page of it with {@link PagedRead}.
 *
 * <p>Semantics worth knowing: IN on the partition key returns partitions in the order the IN values are
 * written (duplicates dropped); ORDER BY with IN over several partitions sorts all rows by clustering,
 * which works only when the result fits in one page (as Cassandra, which refuses to page it);
 * {@code count(*)} counts every matching row and ignores LIMIT and PER PARTITION LIMIT, as Cassandra
 * does for aggregates without GROUP BY.
 */
public final class SelectExecutor implements StatementExecutor<Select> {

    private final CqlContext context;
    private final ChunkSizes chunkSizes = new ChunkSizes();

    public SelectExecutor(CqlContext context) {
        this.context = context;
    }

    @Override
    public CompletionStage<QueryResult> execute(Select select, QueryRequest request) {
        try {
            TableMetadata table = Tables.resolve(context.schema().current(), select.table(), request.keyspace());
            TermBinder binder = new TermBinder(BoundValues.of(select, request.values()), context.clock());
            if (request.consistency() != null && request.consistency().isSerial()) {
                return serial(table, select, binder, request);
            }
            return run(table, select, binder, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A SELECT at SERIAL / LOCAL_SERIAL (Cassandra's readWithPaxos): a Paxos round on the partition
     * first completes any transaction left in progress (and brings its quorum up to the latest
     * commit), then the rows are read at QUORUM / LOCAL_QUORUM. One partition only, as in Cassandra.
     */
    private CompletionStage<QueryResult> serial(TableMetadata table, Select select, TermBinder binder, QueryRequest request) {
        Restrictions r = Restrictions.forSelect(table, select.where(), binder);
        if (r.partitionKeys() == null || r.partitionKeys().size() != 1) {
            throw new InvalidRequestException("SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time");
        }
        DecoratedKey key = Keys.partitionKey(table, r.partitionKeys().get(0));
        SinglePartitionReadCommand read = new SinglePartitionReadCommand(table, key, ClusteringFilter.ALL,
                context.clock().nowInSeconds(), DataLimits.rows(1));
        return context.coordinator().cas(read, CasDecision.READ_ONLY, request.consistency(), ConsistencyLevel.QUORUM)
                .thenCompose(x -> run(table, select, binder, request));
    }

    private CompletionStage<QueryResult> run(TableMetadata table, Select select, TermBinder binder, QueryRequest request) {
        if (!select.groupBy().isEmpty()) {
            throw new InvalidRequestException("GROUP BY is not supported");
        }
        Selection selection = Selection.of(table, select);
        Restrictions r = Restrictions.forSelect(table, select.where(), binder);
        if (r.needsFiltering() && !select.allowFiltering()) {
            throw new InvalidRequestException(r.filteringError());
        }
        if (r.partitionKeys() == null && r.clusteringRestricted() && !select.allowFiltering()) {
            throw new InvalidRequestException(Restrictions.REQUIRES_ALLOW_FILTERING);
        }
        if (select.distinct()) {
            checkDistinct(table, selection, r);
        }
        boolean reversed = ordering(table, select, r);
        int limit = select.limit() == null ? DataLimits.NO_LIMIT : positive(binder.bindInt(select.limit(), "limit"),
                "LIMIT");
        int perPartition = select.perPartitionLimit() == null ? DataLimits.NO_LIMIT
                : positive(binder.bindInt(select.perPartitionLimit(), "per partition limit"), "PER PARTITION LIMIT");
        if (select.distinct()) {
            perPartition = 1;
        }
        List<DecoratedKey> keys = null;
        if (r.partitionKeys() != null) {
            Set<DecoratedKey> unique = new LinkedHashSet<>();
            for (List<Object> pk : r.partitionKeys()) {
                unique.add(Keys.partitionKey(table, pk));
            }
            keys = new ArrayList<>(unique);
        }
        List<Slice> slices = select.distinct() ? List.of(Slice.ALL) : r.slices();
        RowFilter filter = r.rowFilter();
        ConsistencyLevel cl = readConsistency(request);
        if (selection.isCount()) {
            ReadPlan plan = new ReadPlan(table, keys, r.tokenLo(), r.tokenHi(), slices, reversed, null, filter,
                    DataLimits.NO_LIMIT, select.distinct() ? 1 : DataLimits.NO_LIMIT, cl);
            return count(plan, selection);
        }
        Set<String> columns = selection.fetchedColumns(filter, select.isWildcard());
        ReadPlan plan = new ReadPlan(table, keys, r.tokenLo(), r.tokenHi(), slices, reversed, columns, filter, limit,
                perPartition, cl);
        int pageSize = request.pageSize() > 0 ? request.pageSize() : context.defaultPageSize();
        if (keys != null && keys.size() > 1 && !select.orderBy().isEmpty()) {
            return postOrdered(plan, selection, pageSize, reversed);
        }
        return page(plan, selection, pageSize, request.pagingState());
    }

    static ConsistencyLevel readConsistency(QueryRequest request) {
        return checkReadConsistency(request.consistency() == null ? ConsistencyLevel.ONE : request.consistency());
    }

    /** SERIAL reads run a Paxos round first ({@link #serial}), then read at the matching quorum. ANY cannot read. */
    static ConsistencyLevel checkReadConsistency(ConsistencyLevel cl) {
        if (cl == ConsistencyLevel.ANY) {
            throw new InvalidRequestException("ANY ConsistencyLevel is only supported for writes");
        }
        if (cl == ConsistencyLevel.SERIAL) {
            return ConsistencyLevel.QUORUM;
        }
        if (cl == ConsistencyLevel.LOCAL_SERIAL) {
            return ConsistencyLevel.LOCAL_QUORUM;
        }
        return cl;
    }

    private static int positive(int n, String what) {
        if (n <= 0) {
            throw new InvalidRequestException(what + " must be strictly positive");
        }
        return n;
    }

    /** One page of rows; the paging state when more follow. */
    CompletionStage<QueryResult> page(ReadPlan plan, Selection selection, int pageSize, String pagingState) {
        PagingState state = pagingState == null || pagingState.isEmpty()
                ? PagingState.start(plan.limit(), plan.perPartitionLimit())
                : PagingState.decode(pagingState);
        if (state.keyIndex() < -1 || (plan.keys() != null && state.keyIndex() >= plan.keys().size())
                || !fitsTable(state, plan.table())) {
            throw new InvalidRequestException("Invalid value for the paging state");
        }
        // Small to start: most reads are point reads of a row or a few; a big page grows the list as it fills
        // (a 1,024-slot array per read was the largest allocation of a point-read load).
        List<Map<String, Object>> rows = new ArrayList<>(Math.min(pageSize, 16));
        PagedRead read = new PagedRead(context.coordinator(), chunkSizes, plan, pageSize, context.clock().nowInSeconds(), state,
                r -> rows.add(selection.render(r)));
        return read.run().thenApply(next -> new QueryResult(selection.specs(), rows,
                next == null ? null : next.encode(), null, warnings(read)));
    }

    /** A paging state from a client must decode against this table's key types (it may be forged or stale). */
    private static boolean fitsTable(PagingState state, TableMetadata table) {
        try {
            if (state.partitionKey() != null) {
                Keys.partitionKeyValues(table, Keys.decorate(state.partitionKey()));
            }
            if (state.lastClustering() != null) {
                List<ColumnMetadata> cc = table.clusteringColumns();
                if (state.lastClustering().length != cc.size()) {
                    return false;
                }
                for (int i = 0; i < cc.size(); i++) {
                    cc.get(i).type().deserialize(state.lastClustering()[i]);
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<String> warnings(PagedRead read) {
        String w = read.tombstoneWarning();
        return w == null ? List.of() : List.of(w);
    }

    private CompletionStage<QueryResult> count(ReadPlan plan, Selection selection) {
        long[] n = new long[1];
        PagedRead read = new PagedRead(context.coordinator(), chunkSizes, plan, Integer.MAX_VALUE, context.clock().nowInSeconds(),
                PagingState.start(DataLimits.NO_LIMIT, plan.perPartitionLimit()), r -> n[0]++);
        return read.run().thenApply(x -> new QueryResult(selection.specs(), List.of(Map.of(selection.countName(), n[0])),
                null, null, warnings(read)));
    }

    /** IN over several partitions with ORDER BY: all rows sorted by clustering, then LIMIT; one page only. */
    private CompletionStage<QueryResult> postOrdered(ReadPlan plan, Selection selection, int pageSize, boolean reversed) {
        List<ResultRow> all = new ArrayList<>();
        ReadPlan unlimited = new ReadPlan(plan.table(), plan.keys(), plan.tokenLo(), plan.tokenHi(), plan.slices(),
                plan.reversed(), plan.columns(), plan.filter(), DataLimits.NO_LIMIT, plan.perPartitionLimit(),
                plan.consistency());
        PagedRead read = new PagedRead(context.coordinator(), chunkSizes, unlimited, Integer.MAX_VALUE, context.clock().nowInSeconds(),
                PagingState.start(DataLimits.NO_LIMIT, plan.perPartitionLimit()), all::add);
        ClusteringComparator cmp = plan.table().clusteringComparator();
        return read.run().thenApply(x -> {
            all.sort((a, b) -> {
                if (a.row == null || b.row == null) {
                    return Boolean.compare(b.row == null, a.row == null);
                }
                int c = cmp.compare(a.row.clustering(), b.row.clustering());
                return reversed ? -c : c;
            });
            int n = Math.min(all.size(), plan.limit());
            if (n > pageSize) {
                throw new InvalidRequestException("Cannot page queries with both ORDER BY and a IN restriction on the "
                        + "partition key; you must either remove the ORDER BY or the IN and sort client side, or "
                        + "disable paging for this query");
            }
            List<Map<String, Object>> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(selection.render(all.get(i)));
            }
            return new QueryResult(selection.specs(), rows, null, null, List.of());
        });
    }

    private static void checkDistinct(TableMetadata table, Selection selection, Restrictions r) {
        if (r.clusteringRestricted() || r.clusteringNeedsFiltering()) {
            throw new InvalidRequestException("SELECT DISTINCT with WHERE clause only supports restriction by partition "
                    + "key and/or static columns.");
        }
        if (selection.isCount()) {
            return;
        }
        Set<ColumnMetadata> selected = new LinkedHashSet<>(selection.columns());
        for (ColumnMetadata c : selected) {
            if (!c.isStatic() && c.kind() != io.sibyl.storage.schema.ColumnKind.PARTITION_KEY) {
                throw new InvalidRequestException("SELECT DISTINCT queries must only request partition key columns "
                        + "and/or static columns (not " + c.name() + ")");
            }
        }
        for (ColumnMetadata c : table.partitionKeyColumns()) {
            if (!selected.contains(c)) {
                throw new InvalidRequestException("SELECT DISTINCT queries must request all the partition key columns "
                        + "(missing " + c.name() + ")");
            }
        }
    }

    /** Checks ORDER BY as Cassandra does; answers whether rows come in reverse clustering order. */
    private static boolean ordering(TableMetadata table, Select select, Restrictions r) {
        List<Ordering> orderBy = select.orderBy();
        if (orderBy.isEmpty()) {
            return false;
        }
        if (r.partitionKeys() == null) {
            throw new InvalidRequestException("ORDER BY is only supported when the partition key is restricted by an "
                    + "EQ or an IN.");
        }
        List<ColumnMetadata> clustering = table.clusteringColumns();
        Boolean reversed = null;
        for (int i = 0; i < orderBy.size(); i++) {
            ColumnMetadata c = Tables.column(table, orderBy.get(i).column());
            if (c.kind() != io.sibyl.storage.schema.ColumnKind.CLUSTERING) {
                throw new InvalidRequestException("Order by is currently only supported on the clustered columns of "
                        + "the PRIMARY KEY, got " + c.name());
            }
            if (c.position() != i) {
                throw new InvalidRequestException("Order by currently only supports the ordering of columns following "
                        + "their declared order in the PRIMARY KEY");
            }
            boolean rev = (orderBy.get(i).order() == SortOrder.DESC) != c.reversed();
            if (reversed != null && reversed != rev) {
                throw new InvalidRequestException("Unsupported order by relation");
            }
            reversed = rev;
        }
        return reversed;
    }

    // ------------------------------------------------------------------ REST rows

    /**
     * The rows of one partition (optionally under a clustering prefix), all columns, one page: what
     * {@code GET /v1/keyspaces/{ks}/tables/{t}/rows/{pk...}[/{ck...}]} returns. Values are typed.
     */
    public CompletionStage<QueryResult> readPartition(TableMetadata table, List<Object> partitionKey,
                                                      List<Object> clusteringPrefix, ConsistencyLevel consistency,
                                                      Integer limit, int pageSize, String pagingState) {
        try {
            consistency = checkReadConsistency(consistency);
            DecoratedKey key = Keys.partitionKey(table, partitionKey);
            Slice slice = clusteringPrefix.isEmpty() ? Slice.ALL
                    : Slice.prefix(Keys.clusteringValues(table, clusteringPrefix));
            int lim = limit == null ? DataLimits.NO_LIMIT : positive(limit, "limit");
            ReadPlan plan = new ReadPlan(table, List.of(key), Long.MIN_VALUE, Long.MAX_VALUE, List.of(slice), false, null,
                    RowFilter.NONE, lim, DataLimits.NO_LIMIT, consistency);
            return page(plan, Selection.wildcard(table), pageSize > 0 ? pageSize : context.defaultPageSize(),
                    pagingState);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
