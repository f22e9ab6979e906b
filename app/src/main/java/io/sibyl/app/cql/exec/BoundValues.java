package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.List;
import java.util.Map;

/**
 * The request's {@code values} as the statement's bind markers see them: a list binds by marker index,
 * an object binds by marker name. Values stay raw JSON (String, Boolean, BigInteger, BigDecimal, List,
 * Map, null) until a receiving column gives them a type.
 */
final class BoundValues {

    static final BoundValues NONE = new BoundValues(null, 0);

    private final Object values;
    private final int markerCount;

    private BoundValues(Object values, int markerCount) {
        this.values = values;
        this.markerCount = markerCount;
    }

    /** Checks up front that a list has exactly one value per marker, as Cassandra does. */
    static BoundValues of(Statement statement, Object values) {
        int markers = statement.bindCount();
        if (markers == 0) {
            return new BoundValues(values, 0);
        }
        if (values == null) {
            throw new InvalidRequestException("There were " + markers + " markers(?) in CQL but 0 bound variables");
        }
        if (values instanceof List<?> list && list.size() != markers) {
            throw new InvalidRequestException("There were " + markers + " markers(?) in CQL but " + list.size()
                    + " bound variables");
        }
        return new BoundValues(values, markers);
    }

    /** The raw value of a marker; JSON null is null; a missing value is INVALID. */
    Object get(Term.BindMarker marker) {
        if (values instanceof List<?> list) {
            if (marker.index() >= list.size()) {
                throw new InvalidRequestException("No value bound for marker " + marker.toCql() + " (index "
                        + marker.index() + ")");
            }
            return list.get(marker.index());
        }
        if (values instanceof Map<?, ?> map) {
            if (marker.name() == null) {
                throw new InvalidRequestException("Values given by name, but marker ? at index " + marker.index()
                        + " has no name: use a list of values for ? markers");
            }
            if (!map.containsKey(marker.name())) {
                throw new InvalidRequestException("No value bound for marker :" + marker.name());
            }
            return map.get(marker.name());
        }
        throw new InvalidRequestException("No value bound for marker " + marker.toCql() + " (index " + marker.index()
                + "): the request has no values");
    }

    int markerCount() {
        return markerCount;
    }
}
