package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A value expression, still unbound and untyped: the executor binds markers and converts literals
 * once it knows the type of the column that receives them.
 */
public sealed interface Term
        permits Literal, Term.ListLiteral, Term.SetLiteral, Term.MapLiteral, Term.TupleLiteral,
        Term.FunctionCall, Term.BindMarker, Term.TypeCast {

    String toCql();

    /** {@code [a, b]}; also the value list of {@code IN (a, b)}. */
    record ListLiteral(List<Term> elements) implements Term {
        public ListLiteral {
            elements = List.copyOf(elements);
        }

        @Override
        public String toCql() {
            return "[" + join(elements) + "]";
        }
    }

    /** {@code {a, b}}. The empty {@code {}} parses as an empty set; it is also a valid empty map, as in Cassandra. */
    record SetLiteral(List<Term> elements) implements Term {
        public SetLiteral {
            elements = List.copyOf(elements);
        }

        @Override
        public String toCql() {
            return "{" + join(elements) + "}";
        }
    }

    /** {@code {k: v, ...}}, entries in written order (duplicates are the executor's concern). */
    record MapLiteral(List<Entry> entries) implements Term {
        public MapLiteral {
            entries = List.copyOf(entries);
        }

        @Override
        public String toCql() {
            return entries.stream().map(e -> e.key().toCql() + ": " + e.value().toCql())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    record Entry(Term key, Term value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code (a, b)}: a tuple value, or the right side of a multi-column relation. */
    record TupleLiteral(List<Term> elements) implements Term {
        public TupleLiteral {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("a tuple has at least one element");
            }
        }

        @Override
        public String toCql() {
            return "(" + join(elements) + ")";
        }
    }

    /** {@code now()}, {@code toTimestamp(now())}, {@code token('k')}...; the name is case-normalized. */
    record FunctionCall(String name, List<Term> arguments) implements Term {
        public FunctionCall {
            Objects.requireNonNull(name, "name");
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(name) + "(" + join(arguments) + ")";
        }
    }

    /**
     * {@code ?} (name null) or {@code :name}. Every marker, named or not, is numbered from 0 in
     * textual order across the whole statement (a batch included), which is the order of a list of values.
     */
    record BindMarker(int index, String name) implements Term {
        public BindMarker {
            if (index < 0) {
                throw new IllegalArgumentException("negative bind index " + index);
            }
        }

        public boolean isNamed() {
            return name != null;
        }

        @Override
        public String toCql() {
            return name == null ? "?" : ":" + CqlIdentifiers.quoteIfNeeded(name);
        }
    }

    /** {@code (type) term}, the type kept as its normalized text. */
    record TypeCast(String type, Term term) implements Term {
        public TypeCast {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(term, "term");
        }

        @Override
        public String toCql() {
            return "(" + type + ") " + term.toCql();
        }
    }

    private static String join(List<Term> terms) {
        return terms.stream().map(Term::toCql).collect(Collectors.joining(", "));
    }
}
