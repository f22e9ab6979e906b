package io.sibyl.app.cql;

import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.actors.schema.SchemaStore;

/**
 * What statement executors share: the schema, the coordinator, the clock, and the request limits.
 *
 * @param maxValueBytes   a single value larger than this is refused with PAYLOAD_TOO_LARGE
 * @param defaultPageSize rows per page when the request names none
 */
public record CqlContext(SchemaStore schema, Coordinator coordinator, MicrosClock clock,
                         long maxValueBytes, int defaultPageSize) {}
