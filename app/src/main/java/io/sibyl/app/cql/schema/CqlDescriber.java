package io.sibyl.app.cql.schema;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.app.cql.ast.CqlIdentifiers;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The CQL that recreates a keyspace or table (what {@code DESCRIBE} prints in cqlsh). */
public final class CqlDescriber {
    private CqlDescriber() {}

    public static String keyspace(KeyspaceMetadata ks) {
        return "CREATE KEYSPACE " + q(ks.name()) + " WITH replication = " + map(ks.replication())
                + " AND durable_writes = " + ks.durableWrites() + ";";
    }

    public static String table(TableMetadata t) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(q(t.keyspace())).append('.').append(q(t.name())).append(" (\n");
        for (ColumnMetadata c : t.columns()) {
            sb.append("    ").append(q(c.name())).append(' ').append(c.type().cqlName());
            if (c.isStatic()) sb.append(" static");
            sb.append(",\n");
        }
        String pk = t.partitionKeyColumns().stream().map(c -> q(c.name())).collect(Collectors.joining(", "));
        sb.append("    PRIMARY KEY (");
        sb.append(t.partitionKeyColumns().size() > 1 || !t.clusteringColumns().isEmpty() ? "(" + pk + ")" : pk);
        for (ColumnMetadata c : t.clusteringColumns()) sb.append(", ").append(q(c.name()));
        sb.append(")\n)");
        List<String> with = new ArrayList<>();
        if (!t.clusteringColumns().isEmpty()) {
            with.add("CLUSTERING ORDER BY (" + t.clusteringColumns().stream()
                    .map(c -> q(c.name()) + (c.reversed() ? " DESC" : " ASC")).collect(Collectors.joining(", ")) + ")");
        }
        with.add("comment = '" + t.params().comment().replace("'", "''") + "'");
        with.add("compaction = " + map(t.params().compaction()));
        with.add("default_time_to_live = " + t.params().defaultTimeToLive());
        with.add("gc_grace_seconds = " + t.params().gcGraceSeconds());
        with.add("speculative_retry = '" + t.params().speculativeRetry() + "'");
        sb.append(" WITH ").append(String.join("\n    AND ", with)).append(';');
        return sb.toString();
    }

    private static String q(String name) {
        return CqlIdentifiers.quoteIfNeeded(name);
    }

    private static String map(Map<String, String> m) {
        return m.entrySet().stream()
                .map(e -> "'" + e.getKey() + "': '" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
