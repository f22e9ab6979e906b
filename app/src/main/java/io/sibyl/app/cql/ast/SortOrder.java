package io.sibyl.app.cql.ast;

public enum SortOrder {
    ASC, DESC
}
