package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code CREATE TABLE}. The primary key comes from either a column's {@code PRIMARY KEY} or the
 * {@code PRIMARY KEY ((pk...), ck...)} element; partitionKey is empty when neither was written
 * (the executor rejects that, as Cassandra does, with an INVALID error). Options exclude the
 * clustering order, which has its own list.
 */
public record CreateTable(QualifiedName table, boolean ifNotExists, List<ColumnDefinition> columns,
                          List<String> partitionKey, List<String> clusteringKey,
                          List<Ordering> clusteringOrder, Map<String, Term> options) implements Statement {

    public CreateTable {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        partitionKey = List.copyOf(partitionKey);
        clusteringKey = List.copyOf(clusteringKey);
        clusteringOrder = List.copyOf(clusteringOrder);
        options = Options.copy(options);
    }

    @Override
    public String toCql() {
        StringBuilder sb = new StringBuilder("CREATE TABLE ");
        if (ifNotExists) {
            sb.append("IF NOT EXISTS ");
        }
        sb.append(table.toCql()).append(" (");
        sb.append(columns.stream().map(ColumnDefinition::toCql).collect(Collectors.joining(", ")));
        if (!partitionKey.isEmpty()) {
            sb.append(", PRIMARY KEY ((").append(names(partitionKey)).append(')');
            for (String ck : clusteringKey) {
                sb.append(", ").append(CqlIdentifiers.quoteIfNeeded(ck));
            }
            sb.append(')');
        }
        sb.append(')');
        String with = "";
        if (!clusteringOrder.isEmpty()) {
            with = "CLUSTERING ORDER BY ("
                    + clusteringOrder.stream().map(Ordering::toCql).collect(Collectors.joining(", ")) + ")";
        }
        if (!options.isEmpty()) {
            with = with.isEmpty() ? Options.toCql(options) : with + " AND " + Options.toCql(options);
        }
        return with.isEmpty() ? sb.toString() : sb.append(" WITH ").append(with).toString();
    }

    private static String names(List<String> names) {
        return names.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", "));
    }
}
