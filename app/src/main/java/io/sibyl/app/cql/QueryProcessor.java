package io.sibyl.app.cql;

import io.sibyl.app.cql.auth.Auth;
import io.sibyl.app.cql.auth.AuthenticatedUser;
import io.sibyl.app.cql.auth.RoleStatements;
import io.sibyl.app.cql.auth.StatementPermissions;
import io.sibyl.app.cql.ast.RoleStatement;
import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Truncate;
import io.sibyl.app.cql.ast.Use;
import io.sibyl.app.cql.exec.BatchExecutor;
import io.sibyl.app.cql.exec.ModificationExecutor;
import io.sibyl.app.cql.exec.SelectExecutor;
import io.sibyl.app.cql.schema.SchemaStatementExecutor;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Entry point of CQL: parse (cached), then hand the statement to the executor of its kind. */
public final class QueryProcessor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(QueryProcessor.class);
    private final ParsedStatementCache parsed;
    private final SchemaStatementExecutor schemaStatements;
    private final ModificationExecutor modifications;
    private final SelectExecutor selects;
    private final BatchExecutor batches;
    private volatile io.sibyl.app.cql.views.VirtualTables views;
    private volatile Auth auth;
    private volatile RoleStatements roleStatements;

    public QueryProcessor(CqlContext context, int statementCacheSize) {
        this(context, statementCacheSize, SchemaStatementExecutor::noTruncate);
    }

    public QueryProcessor(CqlContext context, int statementCacheSize, SchemaStatementExecutor.Truncator truncator) {
        this.parsed = new ParsedStatementCache(statementCacheSize);
        this.schemaStatements = new SchemaStatementExecutor(context, truncator);
        this.modifications = new ModificationExecutor(context);
        this.selects = new SelectExecutor(context);
        this.batches = new BatchExecutor(context, modifications);
    }

    public ModificationExecutor modifications() {
        return modifications;
    }

    public SelectExecutor selects() {
        return selects;
    }

    /**
     * Turns authorization on: statements run by a {@link AuthenticatedUser} are checked against
     * {@code auth}, and role statements go to {@code roles}. Until then every statement is allowed.
     */
    public void enableAuth(Auth auth, RoleStatements roles) {
        this.auth = auth;
        this.roleStatements = roles;
    }

    public Auth auth() {
        return auth;
    }

    /** Answers SELECTs of {@code system_views} from {@code views} (without: such a table is unconfigured). */
    public QueryProcessor withViews(io.sibyl.app.cql.views.VirtualTables views) {
        this.views = views;
        return this;
    }

    /** Runs {@code request} unchecked, as the node itself (internal statements such as system_auth's). */
    public CompletionStage<QueryResult> execute(QueryRequest request) {
        return execute(request, AuthenticatedUser.SYSTEM);
    }

    /** Runs {@code request} as {@code user}, once the permissions its statement needs are checked. */
    public CompletionStage<QueryResult> execute(QueryRequest request, AuthenticatedUser user) {
        try {
            if (request.query() == null || request.query().isBlank()) {
                throw new InvalidRequestException("query must not be empty");
            }
            Statement s = parsed.parse(request.query());
            Auth a = auth;
            if (a == null || user.isSystem() || !a.settings().enabled()) {
                return dispatch(s, request, user);
            }
            return authorize(a, s, request, user).thenCompose(v -> dispatch(s, request, user));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Checks that {@code user} may run {@code s}: every permission it needs, one after the other. */
    public CompletionStage<Void> authorize(Auth a, Statement s, QueryRequest request, AuthenticatedUser user) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (StatementPermissions.Needed n : StatementPermissions.of(s, request.keyspace())) {
            chain = chain.thenCompose(v -> a.authorize(user, n.permission(), n.resource()));
        }
        return chain;
    }

    private CompletionStage<QueryResult> dispatch(Statement s, QueryRequest request, AuthenticatedUser user) {
        if (s instanceof RoleStatement r) {
            if (roleStatements == null) {
                throw new InvalidRequestException(r.getClass().getSimpleName() + " needs sibyl.auth.authenticator = "
                        + "PasswordAuthenticator (see docs/security.md)");
            }
            return roleStatements.execute(r, request, user);
        }
        if (s instanceof Select sel) {
            String ks = sel.table().keyspace() != null ? sel.table().keyspace() : request.keyspace();
            if (views != null && io.sibyl.app.cql.views.VirtualTables.isVirtual(ks)) {
                return views.select(sel);
            }
            return selects.execute(sel, request);
        }
        if (s instanceof Modification m) return modifications.execute(m, request);
        if (s instanceof Batch b) return batches.execute(b, request);
        if (s instanceof Use) {
            throw new InvalidRequestException("USE has no session to change over HTTP: qualify table names "
                    + "(ks.table) or pass \"keyspace\" in the request");
        }
        if (s instanceof DropKeyspace || s instanceof DropTable) {
            return schemaStatements.execute(s, request).thenCompose(r -> revokeGrantsOnDropped(s, request, r));
        }
        if (s instanceof CreateKeyspace || s instanceof AlterKeyspace
                || s instanceof CreateTable || s instanceof AlterTable
                || s instanceof Truncate) {
            return schemaStatements.execute(s, request);
        }
        throw new InvalidRequestException("unsupported statement: " + s.getClass().getSimpleName());
    }

    /**
     * After a DROP KEYSPACE / DROP TABLE: removes the grants on what was dropped (docs/security.md), so a later
     * object of the same name does not inherit them. The drop has happened whatever this does: if the grants
     * cannot be removed now, the answer carries a warning saying so (and the error is logged).
     */
    private CompletionStage<QueryResult> revokeGrantsOnDropped(Statement s, QueryRequest request, QueryResult dropped) {
        Auth a = auth;
        if (a == null || !a.settings().enabled()) return CompletableFuture.completedFuture(dropped);
        io.sibyl.app.cql.auth.DataResource resource = StatementPermissions.droppedResource(s, request.keyspace());
        return a.revokeAllOn(resource).handle((n, err) -> {
            if (err == null) return dropped;
            log.error("dropped {} but could not remove the grants on it; REVOKE them by hand (LIST ALL PERMISSIONS)",
                    resource.toCql(), err);
            List<String> warnings = new java.util.ArrayList<>(dropped.warnings());
            warnings.add("the grants on the dropped " + resource.toCql() + " could not be removed (" + err
                    + "); REVOKE them before creating it again");
            return new QueryResult(dropped.columns(), dropped.rows(), dropped.pagingState(), dropped.applied(), warnings);
        });
    }
}
