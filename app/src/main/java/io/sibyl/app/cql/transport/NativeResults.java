package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.SchemaChange;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.storage.types.BooleanType;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A {@link QueryResult} as the RESULT message its statement calls for: ROWS for SELECT and for
 * conditional writes (with the {@code [applied]} column first), SCHEMA_CHANGE for DDL (so drivers
 * refresh their metadata and wait for schema agreement), VOID otherwise.
 */
final class NativeResults {

    private static final String APPLIED = "[applied]";

    private NativeResults() {
    }

    static Message toMessage(Statement statement, String keyspace, QueryResult result) {
        if (statement instanceof Select sel) {
            return rows(ks(sel.table(), keyspace), sel.table().name(), result);
        }
        if (result.applied() != null) {
            String table = statement instanceof Modification m ? m.table().name() : "";
            String ks = statement instanceof Modification m ? ks(m.table(), keyspace) : keyspace;
            return rows(ks == null ? "" : ks, table, withApplied(result));
        }
        SchemaChange change = schemaChange(statement, keyspace);
        if (change != null) {
            return change;
        }
        if (!result.columns().isEmpty()) {
            // LIST ROLES / LIST USERS / LIST PERMISSIONS: rows, as Cassandra answers them (from system_auth)
            return rows(statement instanceof io.sibyl.app.cql.ast.RoleStatement ? "system_auth" : keyspace == null ? "" : keyspace,
                    statement instanceof io.sibyl.app.cql.ast.RoleStatement ? "roles" : "", result);
        }
        return Void.INSTANCE;
    }

    private static SchemaChange schemaChange(Statement s, String keyspace) {
        if (s instanceof CreateKeyspace c) return new SchemaChange("CREATED", "KEYSPACE", c.keyspace(), null, null);
        if (s instanceof AlterKeyspace a) return new SchemaChange("UPDATED", "KEYSPACE", a.keyspace(), null, null);
        if (s instanceof DropKeyspace d) return new SchemaChange("DROPPED", "KEYSPACE", d.keyspace(), null, null);
        if (s instanceof CreateTable c) return new SchemaChange("CREATED", "TABLE", ks(c.table(), keyspace), c.table().name(), null);
        if (s instanceof AlterTable a) return new SchemaChange("UPDATED", "TABLE", ks(a.table(), keyspace), a.table().name(), null);
        if (s instanceof DropTable d) return new SchemaChange("DROPPED", "TABLE", ks(d.table(), keyspace), d.table().name(), null);
        return null;
    }

    /** Conditional writes: the driver reads {@code [applied]} from the first column of the first row. */
    private static QueryResult withApplied(QueryResult r) {
        if (!r.columns().isEmpty() && APPLIED.equals(r.columns().get(0).name())) {
            return r;
        }
        List<QueryResult.ResultColumn> columns = new ArrayList<>();
        columns.add(new QueryResult.ResultColumn(APPLIED, "boolean"));
        columns.addAll(r.columns());
        return new QueryResult(columns, List.of(Map.of(APPLIED, r.applied())), null, r.applied(), r.warnings());
    }

    static DefaultRows rows(String keyspace, String table, QueryResult r) {
        int n = r.columns().size();
        List<ColumnSpec> specs = new ArrayList<>(n);
        CqlType[] types = new CqlType[n];
        for (int i = 0; i < n; i++) {
            QueryResult.ResultColumn c = r.columns().get(i);
            types[i] = APPLIED.equals(c.name()) ? BooleanType.INSTANCE : CqlTypes.parse(c.type());
            specs.add(new ColumnSpec(keyspace, table, c.name(), i, NativeTypes.rawType(types[i])));
        }
        Queue<List<ByteBuffer>> data = new ArrayDeque<>(r.rows().size());
        for (Map<String, Object> row : r.rows()) {
            List<ByteBuffer> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(NativeTypes.encodeResultValue(types[i], row.get(r.columns().get(i).name())));
            }
            data.add(values);
        }
        ByteBuffer paging = r.pagingState() == null ? null
                : ByteBuffer.wrap(r.pagingState().getBytes(StandardCharsets.US_ASCII));
        return new DefaultRows(new RowsMetadata(specs, paging, new int[0], null), data);
    }

    private static String ks(QualifiedName table, String keyspace) {
        return table.keyspace() != null ? table.keyspace() : keyspace == null ? "" : keyspace;
    }
}
