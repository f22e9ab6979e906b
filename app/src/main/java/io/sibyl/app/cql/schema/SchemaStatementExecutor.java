package io.sibyl.app.cql.schema;

import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Truncate;
import io.sibyl.app.errors.AlreadyExistsException;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.TableMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * CREATE/ALTER/DROP KEYSPACE and TABLE, and TRUNCATE. Every change is validated against the current
 * schema inside the store's atomic update, so two concurrent CREATEs of one name cannot both win.
 */
public final class SchemaStatementExecutor implements StatementExecutor<Statement> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,48}");

    /** Empties a table on this node (and, in a cluster, on every node). */
    @FunctionalInterface
    public interface Truncator {
        CompletionStage<Void> truncate(TableMetadata table);
    }

    private final CqlContext context;
    private final Truncator truncator;

    public SchemaStatementExecutor(CqlContext context, Truncator truncator) {
        this.context = context;
        this.truncator = truncator;
    }

    @Override
    public CompletionStage<QueryResult> execute(Statement s, QueryRequest request) {
        if (s instanceof Truncate t) {
            TableMetadata table = existingTable(context.schema().current(), t.table(), request);
            return truncator.truncate(table).thenApply(v -> QueryResult.empty());
        }
        UnaryOperator<Schema> change;
        if (s instanceof CreateKeyspace ck) change = createKeyspace(ck);
        else if (s instanceof AlterKeyspace ak) change = alterKeyspace(ak);
        else if (s instanceof DropKeyspace dk) change = dropKeyspace(dk);
        else if (s instanceof CreateTable ct) change = schema -> TableFactory.create(ct, keyspaceOf(ct.table(), request), schema);
        else if (s instanceof AlterTable at) change = alterTable(at, request);
        else if (s instanceof DropTable dt) change = dropTable(dt, request);
        else throw new InvalidRequestException("unsupported schema statement " + s.getClass().getSimpleName());
        // In a cluster the answer waits until the live nodes have the new schema (or warns).
        return context.schema().updateAndAwait(change).thenApply(u -> QueryResult.empty(u.warnings()));
    }

    private static UnaryOperator<Schema> createKeyspace(CreateKeyspace s) {
        return schema -> {
            validateName("keyspace", s.keyspace());
            if (schema.keyspace(s.keyspace()) != null) {
                if (s.ifNotExists()) return schema;
                throw new AlreadyExistsException(s.keyspace(), null);
            }
            KeyspaceOptions o = keyspaceOptions(s.options(), true);
            return schema.with(new KeyspaceMetadata(s.keyspace(), o.replication, o.durableWrites, Map.of()));
        };
    }

    private static UnaryOperator<Schema> alterKeyspace(AlterKeyspace s) {
        return schema -> {
            KeyspaceMetadata ks = schema.keyspace(s.keyspace());
            if (ks == null) {
                if (s.ifExists()) return schema;
                throw new InvalidRequestException("Keyspace '" + s.keyspace() + "' doesn't exist");
            }
            KeyspaceOptions o = keyspaceOptions(s.options(), false);
            return schema.with(ks.withReplication(o.replication == null ? ks.replication() : o.replication,
                    o.durableWrites == null ? ks.durableWrites() : o.durableWrites));
        };
    }

    private static UnaryOperator<Schema> dropKeyspace(DropKeyspace s) {
        return schema -> {
            if (schema.keyspace(s.keyspace()) == null) {
                if (s.ifExists()) return schema;
                throw new InvalidRequestException("Keyspace '" + s.keyspace() + "' doesn't exist");
            }
            return schema.without(s.keyspace());
        };
    }

    private UnaryOperator<Schema> alterTable(AlterTable s, QueryRequest request) {
        String ks = keyspaceOf(s.table(), request);
        return schema -> {
            TableMetadata t = existingTable(schema, new QualifiedName(ks, s.table().name()), request);
            TableMetadata altered = TableFactory.alter(t, s.action(), context.clock());
            return schema.with(schema.keyspace(ks).withTable(altered));
        };
    }

    private UnaryOperator<Schema> dropTable(DropTable s, QueryRequest request) {
        String ks = keyspaceOf(s.table(), request);
        return schema -> {
            KeyspaceMetadata k = schema.keyspace(ks);
            if (k == null || k.table(s.table().name()) == null) {
                if (s.ifExists() && k != null) return schema;
                if (k == null) throw new InvalidRequestException("Keyspace '" + ks + "' doesn't exist");
                throw new InvalidRequestException("Table '" + ks + "." + s.table().name() + "' doesn't exist");
            }
            return schema.with(k.withoutTable(s.table().name()));
        };
    }

    static String keyspaceOf(QualifiedName name, QueryRequest request) {
        String ks = name.keyspace() != null ? name.keyspace() : request.keyspace();
        if (ks == null) {
            throw new InvalidRequestException("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
        }
        return ks;
    }

    private static TableMetadata existingTable(Schema schema, QualifiedName name, QueryRequest request) {
        String ks = keyspaceOf(name, request);
        KeyspaceMetadata k = schema.keyspace(ks);
        if (k == null) throw new InvalidRequestException("Keyspace '" + ks + "' doesn't exist");
        TableMetadata t = k.table(name.name());
        if (t == null) throw new InvalidRequestException("Table '" + ks + "." + name.name() + "' doesn't exist");
        return t;
    }

    static void validateName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("Invalid " + what + " name '" + name
                    + "': names are 1 to 48 letters, digits or underscores");
        }
    }

    private record KeyspaceOptions(Map<String, String> replication, Boolean durableWrites) {}

    private static KeyspaceOptions keyspaceOptions(Map<String, Term> options, boolean creating) {
        Map<String, String> replication = null;
        Boolean durable = null;
        for (Map.Entry<String, Term> e : options.entrySet()) {
            switch (e.getKey().toLowerCase(java.util.Locale.ROOT)) {
                case "replication" -> replication = SchemaOptions.map("replication", e.getValue());
                case "durable_writes" -> durable = SchemaOptions.bool("durable_writes", e.getValue());
                default -> throw new InvalidRequestException("Unknown property '" + e.getKey() + "'");
            }
        }
        if (replication == null && creating) {
            throw new InvalidRequestException("Missing mandatory option 'replication'");
        }
        if (replication != null) {
            if (!replication.containsKey("class")) {
                throw new InvalidRequestException("Missing replication strategy class");
            }
            Map<String, String> normalized = new LinkedHashMap<>(replication);
            String cls = normalized.get("class");
            normalized.put("class", cls.startsWith("org.apache.cassandra.locator.") ? cls.substring("org.apache.cassandra.locator.".length()) : cls);
            try {
                ReplicationStrategy.fromOptions(normalized);
            } catch (IllegalArgumentException ex) {
                throw new InvalidRequestException(ex.getMessage());
            }
            replication = normalized;
        }
        return new KeyspaceOptions(replication, creating && durable == null ? Boolean.TRUE : durable);
    }

    /** Cassandra table options Sibyl accepts and ignores, so existing CQL scripts run unchanged. */
    static final Set<String> IGNORED_TABLE_OPTIONS = Set.of("caching", "compression", "bloom_filter_fp_chance", "crc_check_chance",
                "read_repair", "additional_write_policy", "memtable_flush_period_in_ms", "min_index_interval",
                "max_index_interval", "cdc", "extensions", "memtable", "allow_auto_snapshot", "incremental_backups");

    public static CompletionStage<Void> noTruncate(TableMetadata t) {
        return CompletableFuture.failedFuture(new InvalidRequestException("TRUNCATE is not available"));
    }
}
