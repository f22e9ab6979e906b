package io.sibyl.app.http.rows;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.exec.ModificationExecutor;
import io.sibyl.app.cql.exec.SelectExecutor;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.ApiRequest;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.QueryResultJson;
import io.sibyl.app.http.Responses;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.TypeCoercion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Rows as REST (docs/api.md "Rows as REST"): PUT one JSON row, POST NDJSON rows in bulk, GET a partition's
 * rows, DELETE a partition or a row. Rows go straight to the executors' mutation and read building
 * (no CQL text is parsed), so the stress tool's hot path is a JSON parse plus one mutation.
 */
public final class RowRoutes {

    private static final String BASE = "/v1/keyspaces/{}/tables/{}/";
    /** Bulk bodies up to this size are read whole, then written; larger ones are streamed line by line. */
    static final long WHOLE_BODY_BYTES = 1L << 20;

    private final SchemaStore schema;
    private final ModificationExecutor modifications;
    private final SelectExecutor selects;
    private final ConsistencyLevel defaultConsistency;
    private final int bulkParallelism;

    public RowRoutes(SchemaStore schema, ModificationExecutor modifications, SelectExecutor selects,
                     ConsistencyLevel defaultConsistency) {
        this(schema, modifications, selects, defaultConsistency, 16);
    }

    public RowRoutes(SchemaStore schema, ModificationExecutor modifications, SelectExecutor selects,
                     ConsistencyLevel defaultConsistency, int bulkParallelism) {
        this.schema = schema;
        this.modifications = modifications;
        this.selects = selects;
        this.defaultConsistency = defaultConsistency;
        this.bulkParallelism = bulkParallelism;
    }

    public void register(HttpApi api) {
        api.put(BASE + "rows", this::put);
        api.post(BASE + "rows:bulk", this::bulk);
        api.get(BASE + "rows/**", this::get);
        api.delete(BASE + "rows/**", this::delete);
    }

    private CompletionStage<HttpResponse> put(ApiRequest request) {
        TableMetadata table = table(request);
        ConsistencyLevel cl = consistency(request);
        Integer ttl = request.queryInt("ttl").orElse(null);
        Long timestamp = request.queryLong("timestamp").orElse(null);
        request.timeout().answerAs(io.sibyl.app.http.RequestTimeout.Kind.WRITE, cl);
        return request.body()
                .thenCompose(body -> modifications.writeColumns(table, JsonRowReader.read(table, body), cl, ttl, timestamp))
                .thenApply(v -> Responses.okEmpty());
    }

    private CompletionStage<HttpResponse> bulk(ApiRequest request) {
        TableMetadata table = table(request);
        ConsistencyLevel cl = consistency(request);
        Integer ttl = request.queryInt("ttl").orElse(null);
        Long timestamp = request.queryLong("timestamp").orElse(null);
        // a bulk load may run for minutes: the admin timeout applies
        request.timeout().answerAs(io.sibyl.app.http.RequestTimeout.Kind.WRITE, cl);
        request.timeout().useAdminTimeout();
        NdjsonIngest ingest = new NdjsonIngest(bulkParallelism, request.maxBodyBytes());
        NdjsonIngest.RowWriter<Mutation> write = new NdjsonIngest.RowWriter<>() {
            @Override
            public Mutation build(byte[] json, int offset, int length) {
                return modifications.rowMutation(table, JsonRowReader.read(table, json, offset, length), cl, ttl, timestamp);
            }

            @Override
            public List<CompletableFuture<Void>> writeEach(List<Mutation> rows) {
                return modifications.writeEach(rows, cl);
            }
        };
        HttpEntity entity = request.http().entity();
        if (entity instanceof HttpEntity.Strict strict) {
            return ingest.run(strict.getData(), write).thenApply(Responses::ok);
        }
        OptionalLong declared = entity.getContentLengthOption();
        if (declared.isPresent() && declared.getAsLong() <= WHOLE_BODY_BYTES) {
            // A small body is gathered and written without a per-request stream of lines.
            return entity.withoutSizeLimit().toStrict(30_000, WHOLE_BODY_BYTES, request.materializer())
                    .thenCompose(s -> ingest.run(s.getData(), write))
                    .thenApply(Responses::ok);
        }
        return ingest.run(entity.withoutSizeLimit().getDataBytes(), request.materializer(), write)
                .thenApply(Responses::ok);
    }

    private CompletionStage<HttpResponse> get(ApiRequest request) {
        TableMetadata table = table(request);
        ConsistencyLevel cl = consistency(request);
        List<List<Object>> key = keyFromPath(table, request);
        Integer limit = request.queryInt("limit").orElse(null);
        int pageSize = request.queryInt("page_size").orElse(0);
        String pagingState = request.query("paging_state").filter(s -> !s.isEmpty()).orElse(null);
        request.timeout().answerAs(io.sibyl.app.http.RequestTimeout.Kind.READ, cl);
        return selects.readPartition(table, key.get(0), key.get(1), cl, limit, pageSize, pagingState)
                .thenApply(r -> Responses.json(200, QueryResultJson.write(r)));
    }

    private CompletionStage<HttpResponse> delete(ApiRequest request) {
        TableMetadata table = table(request);
        ConsistencyLevel cl = consistency(request);
        Long timestamp = request.queryLong("timestamp").orElse(null);
        List<List<Object>> key = keyFromPath(table, request);
        request.timeout().answerAs(io.sibyl.app.http.RequestTimeout.Kind.WRITE, cl);
        return modifications.deleteRows(table, key.get(0), key.get(1), cl, timestamp)
                .thenApply(v -> Responses.okEmpty());
    }

    private TableMetadata table(ApiRequest request) {
        String ks = request.pathParam(0);
        String name = request.pathParam(1);
        KeyspaceMetadata keyspace = schema.current().keyspace(ks);
        if (keyspace == null) {
            throw new NotFoundException("Keyspace " + ks + " does not exist");
        }
        TableMetadata table = keyspace.table(name);
        if (table == null) {
            throw new NotFoundException("Table " + ks + "." + name + " does not exist");
        }
        return table;
    }

    private ConsistencyLevel consistency(ApiRequest request) {
        return request.query("consistency").map(RowRoutes::parseConsistency).orElse(defaultConsistency);
    }

    static ConsistencyLevel parseConsistency(String name) {
        try {
            return ConsistencyLevel.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** The path segments after {@code rows}: partition-key values, then optionally clustering values. */
    private static List<List<Object>> keyFromPath(TableMetadata table, ApiRequest request) {
        List<String> segments = request.pathParams().subList(2, request.pathParams().size());
        List<ColumnMetadata> pk = table.partitionKeyColumns();
        List<ColumnMetadata> ck = table.clusteringColumns();
        if (segments.size() < pk.size()) {
            List<String> missing = pk.subList(segments.size(), pk.size()).stream().map(ColumnMetadata::name).toList();
            throw new InvalidRequestException("Some partition key parts are missing: " + String.join(", ", missing));
        }
        if (segments.size() > pk.size() + ck.size()) {
            throw new InvalidRequestException("Too many key values in the path: " + table.name() + " has "
                    + pk.size() + " partition key and " + ck.size() + " clustering columns");
        }
        List<Object> partition = new ArrayList<>(pk.size());
        List<Object> clustering = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            ColumnMetadata c = i < pk.size() ? pk.get(i) : ck.get(i - pk.size());
            Object v = TypeCoercion.coerce(c.type(), segments.get(i), c.name());
            (i < pk.size() ? partition : clustering).add(v);
        }
        return List.of(partition, clustering);
    }
}
