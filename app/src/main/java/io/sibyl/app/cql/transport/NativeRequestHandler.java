package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Options;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import com.datastax.oss.protocol.internal.response.error.Unprepared;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.SetKeyspace;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.app.cql.ParsedStatementCache;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Use;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.types.InvalidValueException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the native protocol's request messages of one node. Every CQL statement goes through the
 * same {@link io.sibyl.app.cql.QueryProcessor} as {@code POST /v1/cql}: this class only turns binary values into the
 * processor's values (by the markers' types, see {@link BindVariables}) and its results into
 * RESULT messages ({@link NativeResults}). System tables are answered here ({@link SystemTables}),
 * and USE changes the connection's keyspace. Thread-safe; per-connection state is a {@link Session}.
 *
 * <p>{@link #handle} runs on a Netty event loop and must not block it: reads, writes and batches run there
 * up to their first asynchronous step; a login (bcrypt) and schema and role statements (which may wait for
 * the schema to settle, or hash a password) run on the {@code blocking} executor instead.
 */
final class NativeRequestHandler {

    /** What one connection remembers between requests: its keyspace (USE), whether it started, its compression. */
    static final class Session {
        volatile String keyspace;
        volatile boolean ready;
        /** The body compression STARTUP chose ("lz4" or, up to v4, "snappy"), or null; frames after READY use it. */
        volatile String compression;
        /** Where this connection's EVENTs go (set by the server); null when it cannot take events. */
        volatile java.util.function.Consumer<com.datastax.oss.protocol.internal.response.Event> eventSink;
        /** The protocol version of this connection's answers: its STARTUP's (4 until then). */
        volatile int version = 4;
        /** v5: READY has gone out, so frames now travel in segments. */
        volatile boolean segments;
        /** The role this connection logged in as (SASL PLAIN), or ANONYMOUS when authentication is off. */
        volatile io.sibyl.app.cql.auth.AuthenticatedUser user = io.sibyl.app.cql.auth.AuthenticatedUser.ANONYMOUS;
        /** STARTUP was answered with AUTHENTICATE: the next request must be AUTH_RESPONSE. */
        volatile boolean authenticating;
        /** The client's address, for failed-login logs and throttling. */
        volatile String remote = "unknown";
        /** Ends this connection's event subscription; run when the connection closes. */
        volatile Runnable unsubscribe = () -> { };
    }

    private static final byte[] NO_RESULT_METADATA_ID = PreparedStatements.idOf("", null);

    private final NativeBackend backend;
    private final SystemTables systemTables;
    private final PreparedStatements prepared;
    private final ParsedStatementCache parsed;
    private final NativeEvents events;
    private final java.util.concurrent.Executor blocking;
    /** Where SELECTs execute; null: on the calling event loop. */
    private final java.util.concurrent.Executor reads;

    NativeRequestHandler(NativeBackend backend, SystemTables systemTables,
                         PreparedStatements prepared, NativeEvents events, int parsedCacheSize,
                         java.util.concurrent.Executor blocking, java.util.concurrent.Executor reads) {
        this.backend = backend;
        this.blocking = blocking;
        this.reads = reads;
        this.events = events;
        this.systemTables = systemTables;
        this.prepared = prepared;
        this.parsed = new ParsedStatementCache(parsedCacheSize);
    }

    /** A response message and the warnings its frame carries. */
    record Reply(Message message, List<String> warnings) {}

    /** The answer to one request; failures are already ERROR messages. */
    CompletionStage<Reply> handle(Message request, Session session) {
        try {
            return dispatch(request, session)
                    .exceptionally(t -> new Reply(NativeErrors.toMessage(t, describe(request)), List.of()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Reply(NativeErrors.toMessage(e, describe(request)), List.of()));
        }
    }

    private CompletionStage<Reply> dispatch(Message request, Session session) {
        if (request instanceof Options) {
            return done(new Supported(Map.of(
                    "CQL_VERSION", List.of(SystemTables.CQL_VERSION),
                    "COMPRESSION", List.of("lz4", "snappy"),
                    "PROTOCOL_VERSIONS", List.of("4/v4", "5/v5"))));
        }
        if (request instanceof Startup startup) {
            String compression = startup.options.get(Startup.COMPRESSION_KEY);
            if (compression != null && !compression.isEmpty()) {
                String algorithm = compression.toLowerCase(java.util.Locale.ROOT);
                if (!algorithm.equals("lz4") && !algorithm.equals("snappy")) {
                    return done(new Error(ErrorCode.PROTOCOL_ERROR, NativeErrors.fit("Unsupported compression algorithm "
                            + compression + " (Sibyl offers lz4, and snappy up to protocol v4)")));
                }
                if (algorithm.equals("snappy") && session.version >= 5) {
                    return done(new Error(ErrorCode.PROTOCOL_ERROR, "snappy compression is not supported in protocol v5 "
                            + "(v5 compresses segments with lz4 only)"));
                }
                session.compression = algorithm;
            }
            io.sibyl.app.cql.auth.Auth auth = backend.processor().auth();
            if (auth != null && auth.authenticationRequired()) {
                session.authenticating = true;
                return done(new com.datastax.oss.protocol.internal.response.Authenticate(AUTHENTICATOR));
            }
            session.ready = true;
            return done(new Ready());
        }
        if (request instanceof com.datastax.oss.protocol.internal.request.AuthResponse response) {
            return authResponse(response, session);
        }
        if (!session.ready) {
            return done(new Error(ErrorCode.PROTOCOL_ERROR, "the first request of a connection must be STARTUP or OPTIONS, "
                    + "not " + describe(request)));
        }
        if (request instanceof Register register) {
            java.util.Set<String> types = new java.util.HashSet<>(register.eventTypes);
            for (String t : types) {
                if (!List.of("SCHEMA_CHANGE", "TOPOLOGY_CHANGE", "STATUS_CHANGE").contains(t)) {
                    return done(new Error(ErrorCode.PROTOCOL_ERROR, NativeErrors.fit("unknown event type " + t)));
                }
            }
            if (session.eventSink != null) {
                session.unsubscribe.run();
                session.unsubscribe = events.subscribe(types, session.eventSink);
            }
            return done(new Ready());
        }
        if (request instanceof Query q) {
            return query(q, session);
        }
        if (request instanceof Prepare p) {
            return done(prepare(p, session));
        }
        if (request instanceof Execute e) {
            return execute(e, session);
        }
        if (request instanceof Batch b) {
            return batch(b, session);
        }
        return done(new Error(ErrorCode.PROTOCOL_ERROR, NativeErrors.fit("unsupported request " + describe(request))));
    }

    /** The class name Cassandra's drivers expect for username/password (SASL PLAIN) authentication. */
    static final String AUTHENTICATOR = "org.apache.cassandra.auth.PasswordAuthenticator";

    /** SASL PLAIN: {@code [authzid] NUL user NUL password}; AUTH_SUCCESS, or an AuthenticationError naming neither part. */
    private CompletionStage<Reply> authResponse(com.datastax.oss.protocol.internal.request.AuthResponse response,
                                                Session session) {
        if (!session.authenticating) {
            return done(new Error(ErrorCode.PROTOCOL_ERROR, "AUTH_RESPONSE without a pending AUTHENTICATE"));
        }
        String[] parts = saslPlain(response.token);
        if (parts == null) {
            return done(new Error(ErrorCode.AUTH_ERROR, "malformed SASL PLAIN token"));
        }
        // bcrypt takes milliseconds by design: not on the event loop
        return CompletableFuture.supplyAsync(() -> backend.processor().auth().login(parts[0], parts[1], session.remote),
                        blocking)
                .thenCompose(f -> f)
                .<Reply>thenApply(user -> {
                    session.user = user;
                    session.authenticating = false;
                    session.ready = true;
                    return new Reply(new com.datastax.oss.protocol.internal.response.AuthSuccess(null), List.of());
                })
                .exceptionally(t -> {
                    Throwable c = io.sibyl.app.http.ErrorMapper.unwrap(t);
                    if (c instanceof io.sibyl.app.errors.AuthenticationException) {
                        return new Reply(new Error(ErrorCode.AUTH_ERROR, NativeErrors.fit(c.getMessage())), List.of());
                    }
                    return new Reply(NativeErrors.toMessage(c, "AUTH_RESPONSE"), List.of());
                });
    }

    /** user and password of a SASL PLAIN token, or null if it is not one. */
    static String[] saslPlain(ByteBuffer token) {
        if (token == null) return null;
        byte[] b = new byte[token.remaining()];
        token.duplicate().get(b);
        int first = -1;
        int second = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                if (first < 0) first = i;
                else if (second < 0) second = i;
                else return null;
            }
        }
        if (first < 0 || second < 0) return null;
        String user = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
        String password = new String(b, second + 1, b.length - second - 1, StandardCharsets.UTF_8);
        return new String[] {user, password};
    }

    private CompletionStage<Reply> query(Query q, Session session) {
        String keyspace = q.options.keyspace != null ? q.options.keyspace : session.keyspace;
        if (NativeDescribe.isDescribe(q.query)) {
            return done(NativeDescribe.describe(q.query, backend.schema(), keyspace, systemTables.clusterName()));
        }
        Statement statement = parsed.parse(q.query);
        if (statement instanceof Use use) {
            return done(use(use, session));
        }
        if (statement instanceof Select sel && SystemTables.isSystemKeyspace(sel.table().keyspace())) {
            return done(systemTables.select(sel));
        }
        BindVariables.Analysis variables = BindVariables.of(statement, backend.schema(), keyspace);
        return run(q.query, statement, variables, q.options, keyspace, session.user);
    }

    private Message use(Use use, Session session) {
        if (backend.schema().keyspace(use.keyspace()) == null && !SystemTables.isSystemKeyspace(use.keyspace())) {
            throw new InvalidRequestException("Keyspace '" + use.keyspace() + "' does not exist");
        }
        session.keyspace = use.keyspace();
        return new SetKeyspace(use.keyspace());
    }

    private Message prepare(Prepare p, Session session) {
        String keyspace = p.keyspace != null ? p.keyspace : session.keyspace;
        Statement statement = parsed.parse(p.cqlQuery);
        BindVariables.Analysis analysis;
        if (statement instanceof Select sel && SystemTables.isSystemKeyspace(sel.table().keyspace())) {
            if (statement.bindCount() > 0) {
                throw new InvalidRequestException("bind markers are not supported on system tables");
            }
            analysis = new BindVariables.Analysis(List.of(), new int[0]);
        } else {
            analysis = BindVariables.of(statement, backend.schema(), keyspace);
        }
        byte[] id = PreparedStatements.idOf(p.cqlQuery, keyspace);
        prepared.put(new PreparedStatements.Prepared(id, p.cqlQuery, keyspace, statement, analysis));
        List<ColumnSpec> specs = new ArrayList<>();
        for (int i = 0; i < analysis.variables().size(); i++) {
            BindVariables.Variable v = analysis.variables().get(i);
            specs.add(new ColumnSpec(v.keyspace(), v.table(), v.name(), i, NativeTypes.rawType(v.type())));
        }
        // No result metadata: the driver then never asks to skip it, and each ROWS result carries its own.
        // v5 requires a result metadata id; with no result metadata, any fixed id does.
        return new Prepared(id, NO_RESULT_METADATA_ID, new RowsMetadata(specs, null, analysis.partitionKeyIndexes(), null),
                new RowsMetadata(List.of(), null, new int[0], null));
    }

    private CompletionStage<Reply> execute(Execute e, Session session) {
        PreparedStatements.Prepared p = prepared.get(e.queryId);
        if (p == null) {
            return done(new Unprepared("Prepared query with ID " + java.util.HexFormat.of().formatHex(e.queryId)
                    + " not found (either the query was not prepared on this host or it was evicted)", e.queryId));
        }
        if (p.statement() instanceof Use use) {
            return done(use(use, session));
        }
        if (p.statement() instanceof Select sel && SystemTables.isSystemKeyspace(sel.table().keyspace())) {
            return done(systemTables.select(sel));
        }
        return run(p.query(), p.statement(), p.variables(), e.options, p.keyspace(), session.user);
    }

    private CompletionStage<Reply> run(String query, Statement statement, BindVariables.Analysis variables,
                                       QueryOptions options, String keyspace,
                                       io.sibyl.app.cql.auth.AuthenticatedUser user) {
        Bound bound = bind(query, statement, variables, options.positionalValues, options.namedValues);
        QueryRequest request = new QueryRequest(bound.query(), bound.values(), keyspace,
                NativeConsistency.fromCode(options.consistency), serial(options.serialConsistency),
                Math.max(options.pageSize, 0), pagingState(options.pagingState),
                options.defaultTimestamp == QueryOptions.NO_DEFAULT_TIMESTAMP ? null : options.defaultTimestamp);
        return execute(statement, request, user)
                .thenApply(r -> new Reply(NativeResults.toMessage(statement, keyspace, r), r.warnings()));
    }

    /**
     * Writes start on this thread (the event loop) and go on after their commit-log append elsewhere; reads on
     * the read threads ({@code read_threads}; on this thread when 0): a read searches memtables and SSTables
     * on the thread that starts it, and on the event loop the reads of one connection would all run on one
     * core. Other statements (schema changes, role statements with their password hashing) run on the
     * blocking executor.
     */
    private CompletionStage<io.sibyl.app.cql.QueryResult> execute(Statement statement, QueryRequest request,
                                                                  io.sibyl.app.cql.auth.AuthenticatedUser user) {
        if (statement instanceof Select && reads != null) {
            return CompletableFuture.supplyAsync(() -> backend.processor().execute(request, user), reads)
                    .thenCompose(f -> f);
        }
        if (statement instanceof Select || statement instanceof io.sibyl.app.cql.ast.Modification
                || statement instanceof io.sibyl.app.cql.ast.Batch) {
            return backend.processor().execute(request, user);
        }
        return CompletableFuture.supplyAsync(() -> backend.processor().execute(request, user), blocking)
                .thenCompose(f -> f);
    }

    /** A query text and its values for the executor: the statement without its unset markers, if any. */
    private record Bound(String query, Object values) {}

    private static Bound bind(String query, Statement statement, BindVariables.Analysis variables,
                              List<ByteBuffer> positional, Map<String, ByteBuffer> named) {
        if (!hasUnset(positional, named)) {
            return new Bound(query, values(variables, positional, named));
        }
        java.util.Set<Integer> unset = new java.util.HashSet<>();
        if (positional != null) {
            for (int i = 0; i < positional.size(); i++) {
                if (positional.get(i) == ProtocolConstants.UNSET_VALUE) unset.add(i);
            }
        }
        if (named != null) {
            for (Map.Entry<String, ByteBuffer> e : named.entrySet()) {
                if (e.getValue() == ProtocolConstants.UNSET_VALUE) {
                    for (io.sibyl.app.cql.ast.Term.BindMarker m : statement.bindMarkers()) {
                        if (e.getKey().equals(m.name())) unset.add(m.index());
                    }
                }
            }
        }
        if (unset.isEmpty()) {
            return new Bound(query, values(variables, positional, named));
        }
        Statement stripped = UnsetValues.strip(statement, unset);
        Object values;
        if (named != null && !named.isEmpty()) {
            Map<String, ByteBuffer> kept = new HashMap<>(named);
            kept.values().removeIf(v -> v == ProtocolConstants.UNSET_VALUE);
            values = values(variables, null, kept);
        } else {
            List<?> all = (List<?>) values(variables, positional, null);
            List<Object> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (!unset.contains(i)) kept.add(all.get(i));
            }
            values = kept.isEmpty() ? null : kept;
        }
        return new Bound(stripped.toCql(), values);
    }

    /** Whether any value is UNSET (the rare case that needs the statement rewritten); no allocation. */
    private static boolean hasUnset(List<ByteBuffer> positional, Map<String, ByteBuffer> named) {
        if (positional != null) {
            for (int i = 0; i < positional.size(); i++) {
                if (positional.get(i) == ProtocolConstants.UNSET_VALUE) return true;
            }
        }
        if (named != null) {
            for (ByteBuffer v : named.values()) {
                if (v == ProtocolConstants.UNSET_VALUE) return true;
            }
        }
        return false;
    }

    private CompletionStage<Reply> batch(Batch b, Session session) {
        String keyspace = b.keyspace != null ? b.keyspace : session.keyspace;
        StringBuilder text = new StringBuilder(switch (b.type) {
            case ProtocolConstants.BatchType.UNLOGGED -> "BEGIN UNLOGGED BATCH ";
            case ProtocolConstants.BatchType.COUNTER -> "BEGIN COUNTER BATCH ";
            default -> "BEGIN BATCH ";
        });
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < b.queriesOrIds.size(); i++) {
            Object queryOrId = b.queriesOrIds.get(i);
            String query;
            Statement sub;
            BindVariables.Analysis variables;
            if (queryOrId instanceof byte[] id) {
                PreparedStatements.Prepared p = prepared.get(id);
                if (p == null) {
                    return done(new Unprepared("Prepared query with ID " + java.util.HexFormat.of().formatHex(id)
                            + " not found", id));
                }
                query = p.query();
                sub = p.statement();
                variables = p.variables();
            } else {
                query = (String) queryOrId;
                sub = parsed.parse(query);
                variables = BindVariables.of(sub, backend.schema(), keyspace);
            }
            // Markers are numbered across the whole batch, so the statements' values concatenate.
            Bound bound = bind(query, sub, variables, b.values.get(i), null);
            if (bound.values() instanceof List<?> list) {
                values.addAll(list);
            }
            text.append(stripSemicolon(bound.query())).append("; ");
        }
        text.append("APPLY BATCH");
        String query = text.toString();
        Statement statement = parsed.parse(query);
        QueryRequest request = new QueryRequest(query, values.isEmpty() ? null : values, keyspace,
                NativeConsistency.fromCode(b.consistency), serial(b.serialConsistency), 0, null,
                b.defaultTimestamp == QueryOptions.NO_DEFAULT_TIMESTAMP ? null : b.defaultTimestamp);
        return execute(statement, request, session.user)
                .thenApply(r -> new Reply(NativeResults.toMessage(statement, keyspace, r), r.warnings()));
    }

    /** Binary values as Java values of the markers' types: a list by index, or a map by marker name. */
    private static Object values(BindVariables.Analysis analysis, List<ByteBuffer> positional,
                                 Map<String, ByteBuffer> named) {
        List<BindVariables.Variable> vars = analysis.variables();
        if (named != null && !named.isEmpty()) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<String, ByteBuffer> e : named.entrySet()) {
                BindVariables.Variable v = vars.stream().filter(x -> x.name().equals(e.getKey())).findFirst()
                        .orElseThrow(() -> new InvalidRequestException("No bind marker named " + e.getKey()));
                out.put(e.getKey(), decode(v, e.getValue()));
            }
            return out;
        }
        if (positional == null || positional.isEmpty()) {
            return null;
        }
        if (positional.size() != vars.size()) {
            throw new InvalidRequestException("There were " + vars.size() + " markers(?) in CQL but "
                    + positional.size() + " bound variables");
        }
        List<Object> out = new ArrayList<>(positional.size());
        for (int i = 0; i < positional.size(); i++) {
            out.add(decode(vars.get(i), positional.get(i)));
        }
        return out;
    }

    private static Object decode(BindVariables.Variable v, ByteBuffer value) {
        if (value == ProtocolConstants.UNSET_VALUE) {
            return null; // dropped by bind() with its marker
        }
        try {
            return NativeTypes.decode(v.type(), value);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new InvalidValueException("Invalid value for bind variable " + v.name() + " of type "
                    + v.type().cqlName() + ": " + e.getMessage(), v.name(), v.type().cqlName());
        }
    }

    private static ConsistencyLevel serial(int code) {
        return code == ProtocolConstants.ConsistencyLevel.LOCAL_SERIAL ? ConsistencyLevel.LOCAL_SERIAL
                : ConsistencyLevel.SERIAL;
    }

    private static String pagingState(ByteBuffer state) {
        if (state == null) {
            return null;
        }
        byte[] bytes = new byte[state.remaining()];
        state.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String stripSemicolon(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        return q;
    }

    private static CompletionStage<Reply> done(Message m) {
        return CompletableFuture.completedFuture(new Reply(m, List.of()));
    }

    private static String describe(Message m) {
        if (m instanceof Query q) return "QUERY " + abbreviate(q.query);
        if (m instanceof Prepare p) return "PREPARE " + abbreviate(p.cqlQuery);
        return m.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
