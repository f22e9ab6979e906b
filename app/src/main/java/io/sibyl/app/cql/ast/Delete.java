package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code DELETE [targets] FROM t [USING TIMESTAMP t] WHERE ... [IF EXISTS | IF conditions]}; no
 * targets deletes whole rows (or the partition). The grammar admits no TTL here, so using.ttl() is null.
 */
public record Delete(List<Deletion> targets, QualifiedName table, Using using, List<Relation> where,
                     boolean ifExists, List<Condition> conditions) implements Modification {

    public Delete {
        targets = List.copyOf(targets);
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(using, "using");
        where = List.copyOf(where);
        conditions = List.copyOf(conditions);
    }

    public boolean isConditional() {
        return ifExists || !conditions.isEmpty();
    }

    @Override
    public String toCql() {
        String what = targets.stream().map(Deletion::toCql).collect(Collectors.joining(", "));
        return "DELETE " + (what.isEmpty() ? "" : what + " ") + "FROM " + table.toCql() + using.toCql()
                + Relation.whereClause(where) + Condition.ifClause(ifExists, conditions);
    }
}
