package io.sibyl.app.cql.ast;

/** A statement that writes rows: the only kinds a BATCH may hold. */
public sealed interface Modification extends Statement permits Insert, InsertJson, Update, Delete {

    QualifiedName table();

    Using using();
}
