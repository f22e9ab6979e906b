package io.sibyl.app.cql.auth;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The {@code system_auth} keyspace: Cassandra's {@code roles}, {@code role_members} and
 * {@code role_permissions}, in an ordinary replicated keyspace so that roles reach every node through
 * the normal write path. The tables have fixed ids, so two nodes that create the keyspace at the same
 * moment create the same schema and the distributed schema merges them into one.
 */
public final class AuthSchema {
    public static final String KEYSPACE = "system_auth";
    public static final String ROLES = "roles";
    public static final String ROLE_MEMBERS = "role_members";
    public static final String ROLE_PERMISSIONS = "role_permissions";
    /** The column no SELECT may read (docs/security.md). */
    public static final String SALTED_HASH = "salted_hash";

    private static final CqlType TEXT = CqlTypes.parse("text");
    private static final CqlType BOOLEAN = CqlTypes.parse("boolean");
    private static final CqlType TEXT_SET = CqlTypes.parse("set<text>");

    static final TableMetadata ROLES_TABLE = new TableMetadata(KEYSPACE, ROLES,
            UUID.fromString("5a1b0000-0000-4000-8000-0000a0700001"), List.of(
            ColumnMetadata.partitionKey("role", TEXT, 0),
            ColumnMetadata.regular("can_login", BOOLEAN),
            ColumnMetadata.regular("is_superuser", BOOLEAN),
            ColumnMetadata.regular("member_of", TEXT_SET),
            ColumnMetadata.regular(SALTED_HASH, TEXT)), TableParams.DEFAULT);

    static final TableMetadata ROLE_MEMBERS_TABLE = new TableMetadata(KEYSPACE, ROLE_MEMBERS,
            UUID.fromString("5a1b0000-0000-4000-8000-0000a0700002"), List.of(
            ColumnMetadata.partitionKey("role", TEXT, 0),
            ColumnMetadata.clustering("member", TEXT, 0, false)), TableParams.DEFAULT);

    static final TableMetadata ROLE_PERMISSIONS_TABLE = new TableMetadata(KEYSPACE, ROLE_PERMISSIONS,
            UUID.fromString("5a1b0000-0000-4000-8000-0000a0700003"), List.of(
            ColumnMetadata.partitionKey("role", TEXT, 0),
            ColumnMetadata.clustering("resource", TEXT, 0, false),
            ColumnMetadata.regular("permissions", TEXT_SET)), TableParams.DEFAULT);

    private AuthSchema() {
    }

    /** Whether {@code schema} has the keyspace and all three tables. */
    static boolean present(Schema schema) {
        KeyspaceMetadata ks = schema.keyspace(KEYSPACE);
        return ks != null && ks.table(ROLES) != null && ks.table(ROLE_MEMBERS) != null && ks.table(ROLE_PERMISSIONS) != null;
    }

    /** Adds what is missing of system_auth (replication factor {@code rf} if the keyspace is new); a no-op when present. */
    static CompletionStage<Schema> ensure(SchemaStore store, int rf) {
        if (present(store.current())) {
            return java.util.concurrent.CompletableFuture.completedFuture(store.current());
        }
        return store.update(schema -> {
            KeyspaceMetadata ks = schema.keyspace(KEYSPACE);
            if (ks == null) {
                ks = new KeyspaceMetadata(KEYSPACE, Map.of("class", "SimpleStrategy",
                        "replication_factor", Integer.toString(rf)), true, Map.of());
            }
            for (TableMetadata t : List.of(ROLES_TABLE, ROLE_MEMBERS_TABLE, ROLE_PERMISSIONS_TABLE)) {
                if (ks.table(t.name()) == null) ks = ks.withTable(t);
            }
            return schema.with(ks);
        });
    }
}
