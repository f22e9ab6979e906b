package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.ast.Operator;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;

/**
 * The condition of a lightweight transaction on one row: IF NOT EXISTS, IF EXISTS, or IF conditions,
 * with values already bound. {@code clustering} is {@link Clustering#STATIC} when the statement
 * touches only static columns.
 */
record CasCheck(TableMetadata table, DecoratedKey key, List<Object> partitionKeyValues, Clustering clustering,
                Kind kind, List<BoundCondition> conditions) {

    enum Kind { NOT_EXISTS, EXISTS, CONDITIONS }

    /**
     * {@code IF column[element] op value}; element (a map key or list index) null for a whole column; for IN
     * the value is a List.
     */
    record BoundCondition(ColumnMetadata column, Object element, Operator operator, Object value) {}
}
