package io.sibyl.app.cql.exec;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;

/** Resolves table and column names against the current schema, with Cassandra's INVALID messages. */
final class Tables {

    private Tables() {
    }

    static TableMetadata resolve(Schema schema, QualifiedName name, String requestKeyspace) {
        String ks = name.keyspace() != null ? name.keyspace() : requestKeyspace;
        if (ks == null || ks.isEmpty()) {
            throw new InvalidRequestException(
                    "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
        }
        KeyspaceMetadata keyspace = schema.keyspace(ks);
        if (keyspace == null) {
            throw new InvalidRequestException("Keyspace '" + ks + "' does not exist");
        }
        TableMetadata table = keyspace.table(name.name());
        if (table == null) {
            throw new InvalidRequestException("unconfigured table " + name.name());
        }
        return table;
    }

    static ColumnMetadata column(TableMetadata table, String name) {
        ColumnMetadata c = table.column(name);
        if (c == null) {
            throw new InvalidRequestException("Undefined column name " + name);
        }
        return c;
    }
}
