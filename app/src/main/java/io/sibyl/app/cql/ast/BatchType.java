package io.sibyl.app.cql.ast;

public enum BatchType {
    LOGGED, UNLOGGED, COUNTER
}
