package io.sibyl.app.cql.ast;

import java.util.List;

/**
 * A parsed CQL statement. Immutable and shareable: the executor caches them by query text.
 */
public sealed interface Statement
        permits CreateKeyspace, AlterKeyspace, DropKeyspace, CreateTable, AlterTable, DropTable,
        Truncate, Use, Select, Batch, Modification, RoleStatement {

    /** CQL text that parses back to an equal statement. */
    String toCql();

    /** Every bind marker, ordered by index (textual order), so marker i takes {@code values[i]}. */
    default List<Term.BindMarker> bindMarkers() {
        return BindMarkers.of(this);
    }

    default int bindCount() {
        return bindMarkers().size();
    }

    /** The marker names by index; null for a {@code ?}. Used to bind {@code values} given as an object. */
    default List<String> bindNames() {
        return bindMarkers().stream().map(Term.BindMarker::name).toList();
    }
}
