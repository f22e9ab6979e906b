package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code SELECT [DISTINCT] * | selectors FROM t [WHERE ...] [GROUP BY ...] [ORDER BY ...]
 * [PER PARTITION LIMIT n] [LIMIT n] [ALLOW FILTERING]}. An empty selector list means {@code *};
 * absent limits are null.
 */
public record Select(QualifiedName table, boolean distinct, List<Selector> selectors, List<Relation> where,
                     List<String> groupBy, List<Ordering> orderBy, Term perPartitionLimit, Term limit,
                     boolean allowFiltering) implements Statement {

    public Select {
        Objects.requireNonNull(table, "table");
        selectors = List.copyOf(selectors);
        where = List.copyOf(where);
        groupBy = List.copyOf(groupBy);
        orderBy = List.copyOf(orderBy);
    }

    public boolean isWildcard() {
        return selectors.isEmpty();
    }

    @Override
    public String toCql() {
        StringBuilder sb = new StringBuilder("SELECT ");
        if (distinct) {
            sb.append("DISTINCT ");
        }
        sb.append(isWildcard() ? "*" : selectors.stream().map(Selector::toCql).collect(Collectors.joining(", ")));
        sb.append(" FROM ").append(table.toCql()).append(Relation.whereClause(where));
        if (!groupBy.isEmpty()) {
            sb.append(" GROUP BY ")
                    .append(groupBy.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", ")));
        }
        if (!orderBy.isEmpty()) {
            sb.append(" ORDER BY ").append(orderBy.stream().map(Ordering::toCql).collect(Collectors.joining(", ")));
        }
        if (perPartitionLimit != null) {
            sb.append(" PER PARTITION LIMIT ").append(perPartitionLimit.toCql());
        }
        if (limit != null) {
            sb.append(" LIMIT ").append(limit.toCql());
        }
        if (allowFiltering) {
            sb.append(" ALLOW FILTERING");
        }
        return sb.toString();
    }
}
