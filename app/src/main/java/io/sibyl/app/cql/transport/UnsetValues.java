package io.sibyl.app.cql.transport;

import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Update;
import io.sibyl.app.cql.ast.Using;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The protocol's "unset" values (a variable the client did not bind): as in Cassandra, an unset
 * INSERT value or {@code SET c = ?} leaves that column alone, an unset TTL, TIMESTAMP or LIMIT is
 * absent. The statement is rewritten without those markers (the executor has no notion of unset), so
 * its text re-parses with the remaining markers in the same order; an unset value anywhere else
 * (a key, a condition) is INVALID.
 */
final class UnsetValues {

    private final Set<Integer> unset;

    private UnsetValues(Set<Integer> unset) {
        this.unset = unset;
    }

    /** {@code statement} without the markers of {@code unsetIndexes}. */
    static Statement strip(Statement statement, Set<Integer> unsetIndexes) {
        UnsetValues u = new UnsetValues(unsetIndexes);
        Statement out = u.statement(statement);
        for (Term.BindMarker m : out.bindMarkers()) {
            if (unsetIndexes.contains(m.index())) {
                throw new InvalidRequestException("Invalid unset value for bind variable " + (m.index() + 1)
                        + (m.name() == null ? "" : " (" + m.name() + ")")
                        + ": only INSERT values, SET assignments, TTL, TIMESTAMP and LIMIT may be unset");
            }
        }
        return out;
    }

    private Statement statement(Statement s) {
        if (s instanceof Batch b) {
            List<Modification> statements = new ArrayList<>();
            for (Modification m : b.statements()) {
                statements.add((Modification) statement(m));
            }
            return new Batch(b.type(), isUnset(b.timestamp()) ? null : b.timestamp(), statements);
        }
        if (s instanceof Insert i) {
            List<String> columns = new ArrayList<>();
            List<Term> values = new ArrayList<>();
            for (int c = 0; c < i.columns().size() && c < i.values().size(); c++) {
                if (!isUnset(i.values().get(c))) {
                    columns.add(i.columns().get(c));
                    values.add(i.values().get(c));
                }
            }
            return new Insert(i.table(), columns, values, i.ifNotExists(), using(i.using()));
        }
        if (s instanceof Update u) {
            List<Assignment> assignments = new ArrayList<>();
            for (Assignment a : u.assignments()) {
                if (!(a instanceof Assignment.SetValue && isUnset(a.value()))) {
                    assignments.add(a);
                }
            }
            if (assignments.isEmpty()) {
                throw new InvalidRequestException("every SET value of the UPDATE is unset: nothing to update");
            }
            return new Update(u.table(), using(u.using()), assignments, u.where(), u.ifExists(), u.conditions());
        }
        if (s instanceof Delete d) {
            return new Delete(d.targets(), d.table(), using(d.using()), d.where(), d.ifExists(), d.conditions());
        }
        if (s instanceof Select sel) {
            return new Select(sel.table(), sel.distinct(), sel.selectors(), sel.where(), sel.groupBy(), sel.orderBy(),
                    isUnset(sel.perPartitionLimit()) ? null : sel.perPartitionLimit(),
                    isUnset(sel.limit()) ? null : sel.limit(), sel.allowFiltering());
        }
        return s;
    }

    private Using using(Using using) {
        return new Using(isUnset(using.ttl()) ? null : using.ttl(), isUnset(using.timestamp()) ? null : using.timestamp());
    }

    private boolean isUnset(Term t) {
        return t instanceof Term.BindMarker m && unset.contains(m.index());
    }
}
