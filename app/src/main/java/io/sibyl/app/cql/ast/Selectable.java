package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What a SELECT selector computes. */
public sealed interface Selectable
        permits Selectable.Column, Selectable.Token, Selectable.WriteTime, Selectable.Ttl,
        Selectable.CountRows, Selectable.Function, Selectable.Value {

    String toCql();

    record Column(String name) implements Selectable {
        public Column {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(name);
        }
    }

    /** {@code token(a, b)}. */
    record Token(List<String> columns) implements Selectable {
        public Token {
            columns = List.copyOf(columns);
        }

        @Override
        public String toCql() {
            return "token(" + columns.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", ")) + ")";
        }
    }

    record WriteTime(String column) implements Selectable {
        public WriteTime {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public String toCql() {
            return "writetime(" + CqlIdentifiers.quoteIfNeeded(column) + ")";
        }
    }

    record Ttl(String column) implements Selectable {
        public Ttl {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public String toCql() {
            return "ttl(" + CqlIdentifiers.quoteIfNeeded(column) + ")";
        }
    }

    /** {@code count(*)} or {@code count(1)}; {@code count(c)} is a {@link Function}. */
    record CountRows() implements Selectable {
        @Override
        public String toCql() {
            return "count(*)";
        }
    }

    /** Any other call, e.g. {@code max(v)}, {@code toJson(c)}; the name is case-normalized. */
    record Function(String name, List<Selectable> arguments) implements Selectable {
        public Function {
            Objects.requireNonNull(name, "name");
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(name) + "("
                    + arguments.stream().map(Selectable::toCql).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** A constant or marker used as a selector or as a function argument. */
    record Value(Term term) implements Selectable {
        public Value {
            Objects.requireNonNull(term, "term");
        }

        @Override
        public String toCql() {
            return term.toCql();
        }
    }
}
