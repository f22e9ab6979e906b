package io.sibyl.app.cql.ast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects a statement's bind markers by walking every place the grammar admits a term. */
final class BindMarkers {

    private final List<Term.BindMarker> found = new ArrayList<>();

    private BindMarkers() {
    }

    /**
     * By statement instance (weak keys compare by identity): statements are parsed once and cached by query
     * text, and executing a prepared statement asks for its markers on every request.
     */
    private static final com.github.benmanes.caffeine.cache.Cache<Statement, List<Term.BindMarker>> CACHE =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().build();

    static List<Term.BindMarker> of(Statement statement) {
        return CACHE.get(statement, BindMarkers::collect);
    }

    private static List<Term.BindMarker> collect(Statement statement) {
        BindMarkers collector = new BindMarkers();
        collector.statement(statement);
        collector.found.sort(Comparator.comparingInt(Term.BindMarker::index));
        return List.copyOf(collector.found);
    }

    private void statement(Statement s) {
        if (s instanceof Batch b) {
            term(b.timestamp());
            b.statements().forEach(this::statement);
        } else if (s instanceof Insert i) {
            i.values().forEach(this::term);
            using(i.using());
        } else if (s instanceof InsertJson i) {
            term(i.json());
            using(i.using());
        } else if (s instanceof Update u) {
            using(u.using());
            for (Assignment a : u.assignments()) {
                if (a instanceof Assignment.SetElement e) {
                    term(e.key());
                }
                term(a.value());
            }
            relations(u.where());
            conditions(u.conditions());
        } else if (s instanceof Delete d) {
            d.targets().forEach(t -> term(t.key()));
            using(d.using());
            relations(d.where());
            conditions(d.conditions());
        } else if (s instanceof Select sel) {
            sel.selectors().forEach(x -> selectable(x.selectable()));
            relations(sel.where());
            term(sel.perPartitionLimit());
            term(sel.limit());
        }
        // Schema statements take no markers.
    }

    private void using(Using u) {
        term(u.ttl());
        term(u.timestamp());
    }

    private void relations(List<Relation> relations) {
        relations.forEach(r -> term(r.value()));
    }

    private void conditions(List<Condition> conditions) {
        for (Condition c : conditions) {
            term(c.element());
            term(c.value());
        }
    }

    private void selectable(Selectable s) {
        if (s instanceof Selectable.Value v) {
            term(v.term());
        } else if (s instanceof Selectable.Function f) {
            f.arguments().forEach(this::selectable);
        }
    }

    private void term(Term t) {
        if (t == null || t instanceof Literal) {
            return;
        }
        if (t instanceof Term.BindMarker m) {
            found.add(m);
        } else if (t instanceof Term.ListLiteral l) {
            l.elements().forEach(this::term);
        } else if (t instanceof Term.SetLiteral s) {
            s.elements().forEach(this::term);
        } else if (t instanceof Term.TupleLiteral tu) {
            tu.elements().forEach(this::term);
        } else if (t instanceof Term.MapLiteral m) {
            m.entries().forEach(e -> {
                term(e.key());
                term(e.value());
            });
        } else if (t instanceof Term.FunctionCall f) {
            f.arguments().forEach(this::term);
        } else if (t instanceof Term.TypeCast c) {
            term(c.term());
        }
    }
}
