package io.sibyl.app.cql;

import io.sibyl.actors.consistency.ConsistencyLevel;
import java.util.List;
import java.util.Map;

/**
 * One CQL request as docs/api.md's {@code POST /v1/cql} body describes it.
 *
 * @param values            null, a {@code List<Object>} for {@code ?} markers, or a {@code Map<String,Object>}
 *                          for {@code :name} markers; the objects are raw JSON values (String, Boolean,
 *                          BigInteger, BigDecimal, List, Map, null)
 * @param keyspace          the keyspace of unqualified table names, or null
 * @param pageSize          rows per page; 0 or less means the node's default
 * @param pagingState       the opaque state of the previous page, or null for the first page
 * @param timestamp         the write timestamp in microseconds, or null for the server's clock
 */
public record QueryRequest(String query, Object values, String keyspace, ConsistencyLevel consistency,
                           ConsistencyLevel serialConsistency, int pageSize, String pagingState, Long timestamp) {

    public QueryRequest {
        if (values != null && !(values instanceof List<?>) && !(values instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("values must be a list or an object");
        }
    }

    public static QueryRequest of(String query, ConsistencyLevel cl) {
        return new QueryRequest(query, null, null, cl, ConsistencyLevel.SERIAL, 0, null, null);
    }
}
