package io.sibyl.app.cql.ast;

/**
 * How a constant was written. The executor needs it to reject, like Cassandra, e.g. a string for an
 * int column ("Invalid STRING constant (...) for \"c\" of type int").
 */
public enum LiteralKind {
    STRING, INTEGER, FLOAT, BOOLEAN, UUID, HEX, NULL
}
