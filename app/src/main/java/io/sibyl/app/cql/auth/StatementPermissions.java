package io.sibyl.app.cql.auth;

import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.RoleStatement;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Truncate;
import io.sibyl.app.cql.ast.Use;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.UnauthorizedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The permission each CQL statement needs, as in Cassandra: SELECT to read a table, MODIFY to write or
 * truncate it, CREATE on the keyspace (or on all keyspaces) to create a table (or keyspace), ALTER and
 * DROP on what is altered or dropped. Role statements check their own rules ({@link RoleStatements}).
 * {@code system_auth} is written only through role statements, and its {@code salted_hash} is never read.
 */
public final class StatementPermissions {

    /** One permission a statement needs on one resource. */
    public record Needed(Permission permission, DataResource resource) {}

    private StatementPermissions() {
    }

    /**
     * What {@code s} needs, with unqualified tables in {@code keyspace}.
     *
     * @throws UnauthorizedException for a statement no role may run (writes to system_auth, reading salted_hash)
     */
    public static List<Needed> of(Statement s, String keyspace) {
        List<Needed> out = new ArrayList<>();
        if (s instanceof Select sel) {
            QualifiedName t = sel.table();
            if (AuthSchema.KEYSPACE.equals(ks(t, keyspace))
                    && (sel.selectors().isEmpty() || mentionsHash(s))) {
                throw new UnauthorizedException("system_auth." + t.name() + " cannot be read with SELECT * or "
                        + "with salted_hash: name the other columns");
            }
            out.add(new Needed(Permission.SELECT, table(t, keyspace)));
        } else if (s instanceof Modification m) {
            out.add(new Needed(Permission.MODIFY, writable(m.table(), keyspace)));
        } else if (s instanceof Batch b) {
            for (Modification m : b.statements()) out.add(new Needed(Permission.MODIFY, writable(m.table(), keyspace)));
        } else if (s instanceof Truncate t) {
            out.add(new Needed(Permission.MODIFY, writable(t.table(), keyspace)));
        } else if (s instanceof CreateKeyspace ck) {
            notSystemAuth(ck.keyspace());
            out.add(new Needed(Permission.CREATE, DataResource.ROOT));
        } else if (s instanceof AlterKeyspace ak) {
            // ALTER KEYSPACE system_auth is how an operator raises its replication factor: allowed (superuser).
            out.add(new Needed(Permission.ALTER, DataResource.keyspace(ak.keyspace())));
        } else if (s instanceof DropKeyspace dk) {
            notSystemAuth(dk.keyspace());
            out.add(new Needed(Permission.DROP, DataResource.keyspace(dk.keyspace())));
        } else if (s instanceof CreateTable ct) {
            String k = ks(ct.table(), keyspace);
            notSystemAuth(k);
            out.add(new Needed(Permission.CREATE, DataResource.keyspace(k)));
        } else if (s instanceof AlterTable at) {
            out.add(new Needed(Permission.ALTER, writable(at.table(), keyspace)));
        } else if (s instanceof DropTable dt) {
            out.add(new Needed(Permission.DROP, writable(dt.table(), keyspace)));
        } else if (s instanceof Use || s instanceof RoleStatement) {
            // USE needs nothing; role statements are checked by RoleStatements
        }
        return out;
    }

    /** The keyspace or table a DROP KEYSPACE / DROP TABLE names (its grants go with it). */
    public static DataResource droppedResource(Statement s, String keyspace) {
        if (s instanceof DropKeyspace dk) return DataResource.keyspace(dk.keyspace());
        if (s instanceof DropTable dt) return table(dt.table(), keyspace);
        throw new IllegalArgumentException("not a DROP KEYSPACE / DROP TABLE: " + s.getClass().getSimpleName());
    }

    private static boolean mentionsHash(Statement s) {
        return s.toCql().toLowerCase(Locale.ROOT).contains(AuthSchema.SALTED_HASH);
    }

    private static DataResource writable(QualifiedName t, String keyspace) {
        notSystemAuth(ks(t, keyspace));
        return table(t, keyspace);
    }

    private static void notSystemAuth(String keyspace) {
        if (AuthSchema.KEYSPACE.equals(keyspace)) {
            throw new UnauthorizedException("system_auth is changed only through role statements "
                    + "(CREATE ROLE, GRANT, ...), not directly");
        }
    }

    private static String ks(QualifiedName t, String keyspace) {
        String k = t.keyspace() != null ? t.keyspace() : keyspace;
        if (k == null) {
            throw new InvalidRequestException("No keyspace has been specified. USE a keyspace, or explicitly "
                    + "specify keyspace.tablename");
        }
        return k;
    }

    private static DataResource table(QualifiedName t, String keyspace) {
        return DataResource.table(ks(t, keyspace), t.name());
    }
}
